import Table from 'cli-table3';
import pc from 'picocolors';
import type { Score } from './score.js';

/** One measured run of one tool over one file. */
export interface ResultRow {
  readonly tool: string;
  readonly file: 'sshd' | 'nginx';
  readonly lines: number;
  readonly seconds: number;
  readonly linesPerSec: number;
  /** CPU seconds (user + system); undefined without GNU time. */
  readonly cpuSeconds: number | undefined;
  readonly peakRssMb: number;
  readonly score: Score;
  /** Tool-specific counters: fail2ban's matched failures, Leuko's events and unparsed lines. */
  readonly extra: Readonly<Record<string, number | string>>;
}

export interface Acceptance {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtPct = (n: number): string => `${(n * 100).toFixed(1)}%`;

export function resultsTable(rows: readonly ResultRow[]): string {
  const table = new Table({
    head: [
      'tool',
      'file',
      'lines',
      'seconds',
      'lines/s',
      'cpu s',
      'peak RSS MB',
      'decisions',
      'precision',
      'recall',
      'benign banned',
    ],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: ['cyan'] },
  });
  for (const r of rows) {
    const benign = r.score.benignBanned.length;
    table.push([
      r.tool,
      r.file,
      fmtInt(r.lines),
      r.seconds.toFixed(2),
      fmtInt(r.linesPerSec),
      r.cpuSeconds === undefined ? '-' : r.cpuSeconds.toFixed(2),
      r.peakRssMb.toFixed(1),
      fmtInt(r.score.decisions),
      fmtPct(r.score.precision),
      fmtPct(r.score.recall),
      benign === 0 ? '0' : pc.bold(pc.red(String(benign))),
    ]);
  }
  return table.toString();
}

/** Recall per attack kind, one column per tool, for one file. */
export function kindTable(rows: readonly ResultRow[]): string {
  const kinds = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.score.perKind)) kinds.add(k);
  const table = new Table({ head: ['kind', 'attackers', ...rows.map((r) => r.tool)], style: { head: ['cyan'] } });
  for (const kind of [...kinds].sort()) {
    const total = rows[0]?.score.perKind[kind]?.total ?? 0;
    table.push([
      kind,
      fmtInt(total),
      ...rows.map((r) => {
        const k = r.score.perKind[kind];
        return k === undefined || k.total === 0 ? '-' : `${fmtInt(k.caught)} (${fmtPct(k.caught / k.total)})`;
      }),
    ]);
  }
  return table.toString();
}

/** Benign addresses a tool banned, printed so nobody can miss them. */
export function benignAlarm(rows: readonly Pick<ResultRow, 'tool' | 'file' | 'score'>[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const list = r.score.benignBanned;
    if (list.length === 0) continue;
    out.push(
      pc.bold(
        pc.red(
          `!!! ${r.tool} banned ${list.length} BENIGN address(es) on ${r.file}: ${list.slice(0, 20).join(', ')}${list.length > 20 ? ', ...' : ''}`,
        ),
      ),
    );
  }
  return out;
}

export function acceptanceLines(checks: readonly Acceptance[]): string[] {
  return checks.map((c) => `${c.pass ? pc.green('PASS') : pc.bold(pc.red('FAIL'))}  ${c.name}: ${c.detail}`);
}
