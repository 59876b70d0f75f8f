import { sleep } from '../../platform/exec/index.js';
import type { ProcFs } from '../../platform/proc/index.js';

/** One process, pinned by start time. */
export interface Pinned {
  readonly pid: number;
  readonly startTicks: number;
}

export type SignalResult = 'sent' | 'gone';

/**
 * Send `sig` only if `pid` still names the process that started at `startTicks`. The check and
 * the kill are two syscalls, so a pid could in theory be reused between them; the window is
 * microseconds against the 2^22 pid space cycling, which is what pidfd_send_signal would close
 * and Node does not expose.
 */
export async function signalPinned(proc: ProcFs, p: Pinned, sig: NodeJS.Signals): Promise<SignalResult> {
  if (await proc.isGone(p.pid, p.startTicks)) return 'gone';
  try {
    process.kill(p.pid, sig);
    return 'sent';
  } catch {
    return 'gone';
  }
}

/** Poll `check` until true, the time is up, or the signal aborts (bounded). */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal,
  intervalMs = 25,
): Promise<boolean> {
  const rounds = Math.max(1, Math.ceil(timeoutMs / intervalMs));
  for (let i = 0; i < rounds; i++) {
    if (await check()) return true;
    if (!(await sleep(intervalMs, signal))) return check();
  }
  return check();
}

/** All pinned processes have exited (or are zombies, which cannot run any more). */
export async function allGone(proc: ProcFs, list: readonly Pinned[]): Promise<boolean> {
  for (const p of list) if (!(await proc.isGone(p.pid, p.startTicks))) return false;
  return true;
}

/** All pinned processes that still exist are stopped. */
export async function allStopped(proc: ProcFs, list: readonly Pinned[]): Promise<boolean> {
  for (const p of list) {
    const s = await proc.readStat(p.pid);
    if (!s || s.startTicks !== p.startTicks || s.state === 'Z' || s.state === 'X') continue;
    if (s.state !== 'T' && s.state !== 't') return false;
  }
  return true;
}
