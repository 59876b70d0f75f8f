import type { Lab, NsRole } from './topology.js';

/** What a plain TCP connect saw: the question "is this source cut off?" asked directly. */
export type ProbeOutcome = 'connected' | 'refused' | 'unreachable' | 'timeout' | 'error';

export interface ProbeResult {
  readonly port: number;
  readonly outcome: ProbeOutcome;
  readonly ms: number;
}

/**
 * One TCP connect from a namespace, via bash's /dev/tcp (no extra package): a drop rule shows
 * as `timeout`, a reject rule as `refused` (ICMP port unreachable maps to ECONNREFUSED).
 */
export async function probeTcp(lab: Lab, from: NsRole, addr: string, port: number, timeoutS = 2): Promise<ProbeResult> {
  const r = await lab.exec(from, ['timeout', String(timeoutS), 'bash', '-c', `exec 3<>/dev/tcp/${addr}/${port}`], {
    timeoutMs: timeoutS * 1000 + 3000,
  });
  let outcome: ProbeOutcome;
  if (r.code === 0) outcome = 'connected';
  else if (r.code === 124) outcome = 'timeout';
  else if (/refused/i.test(r.stderr)) outcome = 'refused';
  else if (/no route|unreachable/i.test(r.stderr)) outcome = 'unreachable';
  else outcome = 'error';
  return { port, outcome, ms: r.durationMs };
}

/** Whether every probed port is closed to this source (dropped, rejected or unreachable). */
export function isCutOff(results: readonly ProbeResult[]): boolean {
  return results.length > 0 && results.every((p) => p.outcome !== 'connected' && p.outcome !== 'error');
}
