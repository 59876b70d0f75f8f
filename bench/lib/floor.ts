import path from 'node:path';
import { measure } from './measure.js';

export interface FloorScan {
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly lines: number;
}

const SCRIPT = path.join(import.meta.dirname, 'floor-scan.mjs');

/**
 * Time floor-scan.mjs on the sshd log: reading, splitting and one regex per line, nothing else.
 * Undefined when it fails (the benchmark goes on without the line).
 */
export async function timeFloorScan(logPath: string): Promise<FloorScan | undefined> {
  const m = await measure(process.execPath, [SCRIPT, logPath]);
  if (m.exitCode !== 0) return undefined;
  const { lines } = JSON.parse(m.stdout) as { lines: number };
  return { seconds: m.seconds, cpuSeconds: m.cpuSeconds, lines };
}

/**
 * The floor beside the time 20x fail2ban-regex allows: how much of that budget a JavaScript
 * program spends before it has built a single event.
 */
export function floorLine(floor: FloorScan, budgetSeconds: number): string {
  const share = Math.round((100 * floor.seconds) / budgetSeconds);
  const cpu = floor.cpuSeconds === undefined ? '' : ` (${floor.cpuSeconds.toFixed(2)} CPU s)`;
  return (
    `sshd: floor, a bare Node scan (read, split, one regex per line; no events, no detection): ` +
    `${floor.seconds.toFixed(2)} s${cpu}, ${Math.round(floor.lines / floor.seconds).toLocaleString('en-US')} lines/s; ` +
    `20x fail2ban-regex allows ${budgetSeconds.toFixed(2)} s, ${share}% of it spent by the floor`
  );
}
