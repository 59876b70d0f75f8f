/**
 * CrowdSec beside Leuko: both replay the same first lines of each generated log (CrowdSec's
 * forensic mode is far slower than its live mode and than fail2ban-regex: a whole 1M-line log
 * would take it many minutes, so a prefix is timed, and Leuko is timed on the same prefix).
 */
import path from 'node:path';
import Table from 'cli-table3';
import type { FileTruth } from './generate/index.js';
import { ensureCrowdsec, runCrowdsec } from './lib/crowdsec.js';
import { writePrefix } from './lib/prefix.js';
import { runLeuko } from './lib/leuko.js';
import { benignAlarm, fmtInt, fmtPct } from './lib/report.js';
import { type Score, scoreBans } from './lib/score.js';

export interface SampleRow {
  readonly tool: 'leuko' | 'crowdsec';
  readonly file: 'sshd' | 'nginx';
  readonly lines: number;
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly peakRssMb: number;
  /** Scored against the whole file's truth: its precision and benign bans hold for a prefix too. */
  readonly score: Score;
}

export async function crowdsecBench(opts: {
  readonly logs: Partial<Record<'sshd' | 'nginx', string>>;
  readonly truth: Partial<Record<'sshd' | 'nginx', FileTruth>>;
  readonly sampleLines: number;
  readonly outDir: string;
  readonly root: string;
  readonly leukoCmd?: readonly string[];
  readonly log: (msg: string) => void;
}): Promise<{ rows: SampleRow[]; lines: string[] }> {
  const bins = ensureCrowdsec(opts.log);
  if (bins === undefined) return { rows: [], lines: ['CrowdSec: not installed and not installable here; skipped'] };
  const rows: SampleRow[] = [];
  for (const file of ['sshd', 'nginx'] as const) {
    const log = opts.logs[file];
    const truth = opts.truth[file];
    if (log === undefined || truth === undefined) continue;
    const sample = path.join(opts.outDir, `crowdsec-sample-${file}.log`);
    const lines = writePrefix(log, sample, opts.sampleLines);
    const score = (bans: readonly { scope: string; value: string }[]) => scoreBans(truth, bans);
    if (opts.leukoCmd !== undefined) {
      opts.log(`leuko replay --format ${file} (first ${lines.toLocaleString('en-US')} lines) ...`);
      const run = await runLeuko(opts.leukoCmd, file, sample, opts.root);
      const s = score(run.output.decisions.map((d) => ({ scope: d.scope, value: d.value })));
      rows.push(sampleRow('leuko', file, lines, run, s));
    }
    opts.log(
      `crowdsec -dsn file://... -type ${file === 'sshd' ? 'syslog' : 'nginx'} (first ${lines.toLocaleString('en-US')} lines) ...`,
    );
    const cs = await runCrowdsec(bins, sample, file === 'sshd' ? 'syslog' : 'nginx');
    const s = score(cs.bans);
    rows.push(sampleRow('crowdsec', file, lines, cs, s));
  }
  return { rows, lines: report(rows) };
}

function sampleRow(
  tool: SampleRow['tool'],
  file: SampleRow['file'],
  lines: number,
  run: { seconds: number; cpuSeconds: number | undefined; peakRssMb: number },
  score: Score,
): SampleRow {
  return { tool, file, lines, seconds: run.seconds, cpuSeconds: run.cpuSeconds, peakRssMb: run.peakRssMb, score };
}

function report(rows: readonly SampleRow[]): string[] {
  const table = new Table({
    head: [
      'tool',
      'file',
      'lines',
      'seconds',
      'lines/s',
      'cpu s',
      'peak RSS MB',
      'banned',
      'precision',
      'benign banned',
    ],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const r of rows)
    table.push([
      r.tool,
      r.file,
      fmtInt(r.lines),
      r.seconds.toFixed(2),
      fmtInt(r.lines / r.seconds),
      r.cpuSeconds === undefined ? '-' : r.cpuSeconds.toFixed(2),
      r.peakRssMb.toFixed(1),
      fmtInt(r.score.banned),
      r.score.banned === 0 ? '-' : fmtPct(r.score.precision),
      r.score.benignBanned.length,
    ]);
  const out = [
    'CrowdSec (Debian package, forensic mode with the hub collections Debian enables) on the same first lines:',
    table.toString(),
  ];
  for (const file of ['sshd', 'nginx'] as const) {
    const leuko = rows.find((r) => r.file === file && r.tool === 'leuko');
    const cs = rows.find((r) => r.file === file && r.tool === 'crowdsec');
    if (leuko && cs)
      out.push(
        `${file} (first ${leuko.lines.toLocaleString('en-US')} lines): Leuko/CrowdSec lines/s = ${(cs.seconds / leuko.seconds).toFixed(1)}x` +
          (leuko.cpuSeconds !== undefined && cs.cpuSeconds !== undefined
            ? `, per CPU second ${(cs.cpuSeconds / leuko.cpuSeconds).toFixed(1)}x`
            : ''),
      );
  }
  return [...out, ...benignAlarm(rows)];
}
