import type { ProcStat } from '../../platform/proc/index.js';

/** A process a decision points at: the pid, and the start time when the decision pinned one. */
export interface ProcessTarget {
  readonly pid: number;
  /** Clock ticks since boot (/proc/PID/stat field 22); absent for a bare `PID` value. */
  readonly startTicks?: number;
}

/**
 * Parse a decision value `PID` or `PID@STARTTIME`. The start time is what makes the value
 * safe to act on later: by the time a decision is approved the pid may belong to someone else.
 */
export function parseProcessTarget(value: string): ProcessTarget | undefined {
  const m = /^(\d{1,10})(?:@(\d{1,20}))?$/.exec(value.trim());
  if (!m) return undefined;
  const pid = Number(m[1]);
  if (pid < 1 || pid > 2 ** 22) return undefined;
  return m[2] === undefined ? { pid } : { pid, startTicks: Number(m[2]) };
}

/**
 * The decision value that names exactly this process: `PID@STARTTIME`. Detectors that see a
 * process in /proc should use this rather than the bare pid.
 */
export function processDecisionValue(p: Pick<ProcStat, 'pid' | 'startTicks'>): string {
  return `${p.pid}@${p.startTicks}`;
}
