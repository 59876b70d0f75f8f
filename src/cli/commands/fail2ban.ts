import path from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { type FilterDefinition, readFilter, splitFilterSpec } from '../../detectors/fail2ban/config/filter-reader.js';
import { Fail2banFilter, FilterCompileError } from '../../detectors/fail2ban/match/filter.js';
import { readLines } from '../line-reader.js';
import { fail, printJson, printTable } from '../output.js';

interface Opts {
  filterDir: string;
  json?: boolean;
  timeZone?: string;
}

/** `NAME[opts]` under the filter dir, or a path to a `.conf`/`.local` file. */
function loadFilter(spec: string, filterDir: string): FilterDefinition {
  const { name, options } = splitFilterSpec(spec);
  if (/\.(conf|local)$/.test(name)) {
    return readFilter(path.dirname(path.resolve(name)), path.basename(name).replace(/\.(conf|local)$/, ''), options);
  }
  return readFilter(filterDir, name, options);
}

function compile(spec: string, opts: Opts): Fail2banFilter | undefined {
  try {
    return new Fail2banFilter(loadFilter(spec, opts.filterDir), opts.timeZone ? { timeZone: opts.timeZone } : {});
  } catch (e) {
    const msg = e instanceof FilterCompileError ? `cannot translate:\n${e.message}` : (e as Error).message;
    fail(msg, 2);
    return undefined;
  }
}

/**
 * `leuko fail2ban test FILTER LOG` (like fail2ban-regex: what the imported filter makes of a
 * log) and `leuko fail2ban show FILTER` (the expressions and their JavaScript translation).
 */
export function registerFail2ban(program: Command): void {
  const cmd = program.command('fail2ban').description('run fail2ban filters as Leuko imports them');
  const common = (c: Command) =>
    c
      .option('--filter-dir <dir>', 'directory of fail2ban filters', '/etc/fail2ban/filter.d')
      .option('--time-zone <zone>', 'IANA zone of dates without one (default: this host)')
      .option('--json', 'print JSON');
  common(
    cmd
      .command('test')
      .description('match a log with a filter: failures, hosts, missed and ignored lines (like fail2ban-regex)')
      .argument('<filter>', 'filter name with options, e.g. sshd[mode=aggressive], or a filter file')
      .argument('<log>', 'log file, or - for stdin'),
  ).action(async (spec: string, log: string, opts: Opts) => {
    const filter = compile(spec, opts);
    if (!filter) return;
    let lines = 0;
    let failures = 0;
    let nofail = 0;
    const perRegex = new Map<number, number>();
    const hosts = new Map<string, number>();
    for await (const line of readLines(log)) {
      lines++;
      const found = filter.processLine(line, systemClock.now());
      const hit = found.find((f) => f.id !== undefined && !f.nofail);
      if (hit) {
        failures++;
        perRegex.set(hit.regexIndex, (perRegex.get(hit.regexIndex) ?? 0) + 1);
        hosts.set(hit.id!, (hosts.get(hit.id!) ?? 0) + 1);
      } else if (found.length > 0) nofail++;
    }
    const missed = lines - failures - nofail - filter.ignored;
    const top = [...hosts].sort((a, b) => b[1] - a[1]);
    if (opts.json) {
      printJson({
        filter: spec,
        lines,
        failures,
        nofail,
        ignored: filter.ignored,
        missed,
        failregex: Object.fromEntries([...perRegex].sort((a, b) => a[0] - b[0])),
        hosts: Object.fromEntries(top),
      });
      return;
    }
    process.stdout.write(
      `${spec}: ${lines} lines, ${failures} failures, ${nofail} no-failure matches, ${filter.ignored} ignored, ${missed} missed\n`,
    );
    printTable(
      ['failregex', 'matches'],
      [...perRegex].sort((a, b) => a[0] - b[0]).map(([i, n]) => [i, n]),
    );
    printTable(['host', 'failures'], top.slice(0, 50));
  });
  common(
    cmd
      .command('show')
      .description('show the expressions of a filter as fail2ban reads them and as Leuko runs them')
      .argument('<filter>', 'filter name with options, or a filter file'),
  ).action((spec: string, opts: Opts) => {
    const filter = compile(spec, opts);
    if (!filter) return;
    const rows = filter.describe();
    if (opts.json) {
      printJson(rows);
      return;
    }
    for (const r of rows)
      process.stdout.write(`${r.option}\n  python: ${r.python}\n  js:     ${r.js.join('\n          ')}\n`);
  });
}
