/**
 * The parsers as the pipeline drives them: lines/s of `createParser('sshd' | 'nginx')` over the
 * generated 1M-line logs, a differential check against a baseline build of the parsers (same
 * JSON for every line), and the wall time of the whole `leuko replay` through built CLIs.
 *
 *   npx tsx bench/pipeline.ts [--rounds 5] [--only sshd|nginx]
 *     [--baseline /tmp/old/dist/parsers/index.js]   also time it, and diff every line against it
 *     [--extra]                                      diff the golden samples and corpora too (all formats)
 *     [--replay dist/cli/main.js] [--replay-before /tmp/old/dist/cli/main.js] [--replay-runs 3]
 *
 * The logs come from `npx tsx bench/run.ts --skip-peers` (bench/out/auth.log, access.log).
 * Timing only: nothing here is a pass/fail test, except that a diff mismatch exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';

type LineParser = (line: string) => { time: number; event: Record<string, unknown> } | null;
type CreateParser = (name: string, ctx: { clock: { now(): number }; logPath?: string }) => LineParser;

const ROOT = path.resolve(import.meta.dirname, '..');
const FILES = { sshd: 'bench/out/auth.log', nginx: 'bench/out/access.log' } as const;
// One instant for every parser instance: syslog year inference reads the clock, and the diff
// must compare like with like.
const NOW = Date.now();
const clock = { now: () => NOW };

async function load(file: string): Promise<CreateParser> {
  const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { createParser?: unknown };
  if (typeof mod.createParser !== 'function') throw new Error(`${file} exports no createParser`);
  return mod.createParser as CreateParser;
}

/**
 * The lines as the pipeline's line splitter makes them: one `Buffer#toString` per line, a flat
 * string (a `split` of the whole file would give slices of one huge string, which V8 reads
 * more slowly and which the pipeline never sees).
 */
function readLines(file: string): string[] {
  const buf = readFileSync(file);
  const out: string[] = [];
  for (let p = 0; p < buf.length; ) {
    let nl = buf.indexOf(10, p);
    if (nl < 0) nl = buf.length;
    out.push(buf.toString('utf8', p, nl));
    p = nl + 1;
  }
  return out;
}

/**
 * Wall and CPU seconds of one pass over `lines` with a fresh parser (sshd parsers keep
 * connection state). CPU time is the steadier figure on a shared machine.
 */
function pass(create: CreateParser, format: string, logPath: string, lines: readonly string[]): [number, number] {
  const parse = create(format, { clock, logPath });
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    const r = parse(lines[i] as string);
    if (r !== null) sink += r.time & 1;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  if (sink < 0) console.log(sink);
  return [wall, (c.user + c.system) / 1e6];
}

function stats(rates: number[]): { best: number; median: number } {
  const s = [...rates].sort((a, b) => a - b);
  return { best: s[s.length - 1] as number, median: s[Math.floor(s.length / 2)] as number };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Lines whose JSON differs between the two parsers (fresh instances, same clock and path). */
function diff(
  oldCreate: CreateParser,
  newCreate: CreateParser,
  format: string,
  logPath: string,
  lines: readonly string[],
): { mismatches: number; examples: string[] } {
  const a = oldCreate(format, { clock, logPath });
  const b = newCreate(format, { clock, logPath });
  let mismatches = 0;
  const examples: string[] = [];
  for (const line of lines) {
    const x = JSON.stringify(a(line));
    const y = JSON.stringify(b(line));
    if (x !== y) {
      mismatches++;
      if (examples.length < 5) examples.push(`${format}: ${line}\n  old ${x}\n  new ${y}`);
    }
  }
  return { mismatches, examples };
}

/** Every regular file under `dir` (small text files only), for the extra diff. */
function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.size < 20_000_000 && !/\.(?:gz|zip|png|jpg|bin)$/i.test(name)) out.push(p);
  }
  return out;
}

/**
 * Mutations that stress the edges: cut lines, doubled spaces, injected `from X port N` text,
 * escapes and brackets where access-log fields are found, markers sshd appends, odd case.
 */
function variants(line: string): string[] {
  const out = [line, `${line} `, line.replace(/ /g, '  '), line.slice(0, Math.floor(line.length / 2))];
  out.push(line.replace(/ for /, ' for invalid user x from 10.0.0.1 port 22 '));
  out.push(line.replace(/ from /, ' from ::ffff:'));
  out.push(`${line} [preauth]`, line.replace(/\]: /, ']: error: '), line.replace(/ port \d+/, ' port 99999'));
  out.push(line.replace(/"/, '"\\"'), line.replace(/ - - \[/, ' - u[x\\y [').replace(/(\d\d):(\d\d):/, '$1[$2:'));
  out.push(
    line.replace(/[0-9a-f]{4}:/, (m) => m.toUpperCase()),
    line.replace(/ (GET|POST) /, ' get '),
  );
  return out;
}

function replay(cli: string, runs: number): { seconds: number[]; out: string } {
  const seconds: number[] = [];
  let out = '';
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'replay', '--json', '--format', 'sshd', FILES.sshd], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, TZ: 'UTC' },
    });
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0) throw new Error(`${cli} replay exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    out = r.stdout;
  }
  return { seconds, out };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      only: { type: 'string' },
      baseline: { type: 'string' },
      extra: { type: 'boolean', default: false },
      replay: { type: 'string' },
      'replay-before': { type: 'string' },
      'replay-runs': { type: 'string', default: '3' },
      'skip-throughput': { type: 'boolean', default: false },
    },
  });
  const rounds = Math.max(1, Number(values.rounds));
  const formats = (['sshd', 'nginx'] as const).filter((f) => values.only === undefined || values.only === f);
  const current = await load(path.join(ROOT, 'src/parsers/index.ts'));
  const baseline = values.baseline !== undefined ? await load(values.baseline) : undefined;
  let failed = false;

  const table = new Table({
    head: ['parser', 'build', 'lines', 'best lines/s', 'median lines/s', 'best lines/cpu-s', 'median lines/cpu-s'],
  });
  for (const format of formats) {
    const file = path.join(ROOT, FILES[format]);
    if (!existsSync(file)) {
      console.error(`${file} is missing: run npx tsx bench/run.ts --skip-peers --only ${format}`);
      process.exitCode = 1;
      return;
    }
    const lines = readLines(file);
    const logPath = `/var/log/${path.basename(file)}`;
    if (baseline !== undefined) {
      const d = diff(baseline, current, format, logPath, lines);
      console.log(`diff ${format}: ${lines.length.toLocaleString('en-US')} lines, ${d.mismatches} mismatches`);
      for (const e of d.examples) console.log(e);
      if (d.mismatches > 0) failed = true;
    }
    if (values['skip-throughput']) continue;
    const builds: [string, CreateParser][] = [['current', current]];
    if (baseline !== undefined) builds.unshift(['baseline', baseline]);
    // Warm each build's JIT on a slice, then interleave rounds so machine noise hits both.
    for (const [, c] of builds) pass(c, format, logPath, lines.slice(0, 100_000));
    const rates = new Map<string, [number[], number[]]>(builds.map(([n]) => [n, [[], []]]));
    for (let r = 0; r < rounds; r++) {
      for (const [n, c] of builds) {
        const [wall, cpu] = pass(c, format, logPath, lines);
        rates.get(n)?.[0].push(lines.length / wall);
        rates.get(n)?.[1].push(lines.length / cpu);
      }
    }
    for (const [n] of builds) {
      const [w, c] = rates.get(n) ?? [[], []];
      const sw = stats(w);
      const sc = stats(c);
      table.push([
        format,
        n,
        lines.length.toLocaleString('en-US'),
        fmt(sw.best),
        fmt(sw.median),
        fmt(sc.best),
        fmt(sc.median),
      ]);
    }
  }
  if (!values['skip-throughput']) console.log(table.toString());

  if (values.extra && baseline !== undefined) {
    const names = (await import(pathToFileURL(path.join(ROOT, 'src/parsers/index.ts')).href)) as {
      parserNames: readonly string[];
    };
    const sources = [
      ...walk(path.join(ROOT, 'test/golden/parsers')).filter((f) => f.endsWith('.log')),
      ...walk(path.resolve(ROOT, '../shared/corpora')),
      ...Object.values(FILES).map((f) => path.join(ROOT, f)),
    ];
    let total = 0;
    let mismatches = 0;
    for (const file of sources) {
      const lines = readFileSync(file, 'utf8').split('\n', 50_000).flatMap(variants);
      for (const format of names.parserNames) {
        const d = diff(baseline, current, format, file, lines);
        total += lines.length;
        mismatches += d.mismatches;
        for (const e of d.examples.slice(0, 2)) console.log(e);
      }
    }
    console.log(
      `diff extra: ${sources.length} files, ${total.toLocaleString('en-US')} parses, ${mismatches} mismatches`,
    );
    if (mismatches > 0) failed = true;
  }

  const runs = Math.max(1, Number(values['replay-runs']));
  const clis: [string, string][] = [];
  if (values['replay-before'] !== undefined) clis.push(['before', values['replay-before']]);
  if (values.replay !== undefined) clis.push(['after', values.replay]);
  if (clis.length > 0) {
    const replayLines = readLines(path.join(ROOT, FILES.sshd)).length;
    const t = new Table({ head: ['replay (sshd)', 'cli', 'best s', 'median s', 'lines/s (best)'] });
    const outs: string[] = [];
    for (const [n, cli] of clis) {
      const r = replay(cli, runs);
      outs.push(r.out);
      const s = [...r.seconds].sort((a, b) => a - b);
      const best = s[0] as number;
      t.push([n, cli, best.toFixed(2), (s[Math.floor(s.length / 2)] as number).toFixed(2), fmt(replayLines / best)]);
    }
    console.log(t.toString());
    if (outs.length === 2) {
      const same = outs[0] === outs[1];
      console.log(`replay output identical: ${same}`);
      if (!same) failed = true;
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 2;
});
