/**
 * Leuko's imported fail2ban sshd filter (Debian's /etc/fail2ban/filter.d/sshd.conf, translated
 * to JavaScript) against `fail2ban-regex -o row` on the same generated sshd log: lines/s and
 * whether both find the same failures.
 *
 *   npx tsx bench/fail2ban-filters.ts [--lines 200000]      (standalone; generates the log)
 *   called from bench/run.ts with the log it generated
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { readFilter } from '../src/detectors/fail2ban/config/filter-reader.js';
import { Fail2banFilter } from '../src/detectors/fail2ban/match/filter.js';
import { benchStart, prepareDataset } from './lib/dataset.js';
import { runFail2ban, SSHD_JAILS } from './lib/fail2ban.js';

const FILTER_DIR = '/etc/fail2ban/filter.d';

export interface ImportedFilterBench {
  readonly lines: number;
  readonly failures: number;
  readonly seconds: number;
  readonly linesPerSec: number;
  readonly fail2ban?: { readonly failures: number; readonly seconds: number; readonly linesPerSec: number };
}

/** Time the imported sshd filter over `logPath`; with `fail2banBinary`, time fail2ban-regex too. */
export async function benchImportedSshd(
  logPath: string,
  fail2banBinary?: string,
): Promise<ImportedFilterBench | undefined> {
  if (!existsSync(path.join(FILTER_DIR, 'sshd.conf'))) {
    console.log('fail2ban filters: /etc/fail2ban/filter.d missing (apt-get install fail2ban); skipped');
    return undefined;
  }
  const filter = new Fail2banFilter(readFilter(FILTER_DIR, 'sshd'), { timeZone: 'UTC' });
  let lines = 0;
  let failures = 0;
  const now = Date.now();
  const t0 = performance.now();
  const rl = createInterface({ input: createReadStream(logPath), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    lines++;
    if (filter.processLine(line, now).some((f) => f.id !== undefined && !f.nofail)) failures++;
  }
  const seconds = (performance.now() - t0) / 1000;
  let fail2ban: ImportedFilterBench['fail2ban'];
  if (fail2banBinary !== undefined) {
    const run = await runFail2ban(fail2banBinary, logPath, SSHD_JAILS[0]!);
    fail2ban = { failures: run.failures, seconds: run.seconds, linesPerSec: lines / run.seconds };
  }
  const out: ImportedFilterBench = {
    lines,
    failures,
    seconds,
    linesPerSec: lines / seconds,
    ...(fail2ban ? { fail2ban } : {}),
  };
  console.log(
    `imported fail2ban sshd filter: ${lines.toLocaleString('en-US')} lines in ${seconds.toFixed(2)} s = ` +
      `${Math.round(out.linesPerSec).toLocaleString('en-US')} lines/s, ${failures} failures` +
      (fail2ban
        ? `; fail2ban-regex -o row: ${Math.round(fail2ban.linesPerSec).toLocaleString('en-US')} lines/s, ` +
          `${fail2ban.failures} failures (${(out.linesPerSec / fail2ban.linesPerSec).toFixed(1)}x)`
        : ''),
  );
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--lines');
  const lines = i > 0 ? Number(process.argv[i + 1]) : 200_000;
  const outDir = path.resolve(import.meta.dirname, 'out/fail2ban-filters');
  const data = prepareDataset({
    outDir,
    lines,
    seed: '1',
    start: benchStart(Date.now()),
    only: 'sshd',
    regen: false,
  });
  const f2b = existsSync('/usr/bin/fail2ban-regex') ? '/usr/bin/fail2ban-regex' : undefined;
  await benchImportedSshd(data.paths.sshd!, f2b);
}
