/** PF_KTHREAD in /proc/PID/stat `flags`: the task is a kernel thread (no user space to stop). */
export const PF_KTHREAD = 0x00200000;

/** The fields of /proc/PID/stat that Leuko uses. */
export interface ProcStat {
  readonly pid: number;
  /** Kernel `comm`: the executable's base name cut to 15 bytes, or what the process set with prctl. */
  readonly comm: string;
  /** One letter: R running, S sleeping, D disk wait, T stopped, t traced, Z zombie, X dead, I idle. */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly session: number;
  readonly flags: number;
  /**
   * Start time in clock ticks since boot. Together with the pid it names one process for
   * the life of the boot: a pid is reused, a (pid, start time) pair is not.
   */
  readonly startTicks: number;
}

/**
 * Parse /proc/PID/stat. `comm` sits in parentheses and may itself contain `)` and spaces
 * (a process can name itself `a) S 1 (`), so the fields start after the LAST `)`.
 * Returns undefined for text that is not a stat line.
 */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ") ": state ppid pgrp session tty_nr tpgid flags ... ; starttime is field 22 overall.
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const session = Number(rest[3]);
  const flags = Number(rest[6]);
  const startTicks = Number(rest[19]);
  if (!Number.isInteger(pid) || pid <= 0 || state === undefined || state.length !== 1) return undefined;
  if (![ppid, pgrp, session, flags, startTicks].every(Number.isFinite)) return undefined;
  return { pid, comm: text.slice(open + 1, close), state, ppid, pgrp, session, flags, startTicks };
}

/** Real and effective uid from /proc/PID/status (`Uid:\treal\teffective\tsaved\tfs`). */
export function parseStatusUids(text: string): { readonly uid: number; readonly euid: number } | undefined {
  const at = text.indexOf('\nUid:');
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at + 1);
  const parts = text
    .slice(at + 5, end < 0 ? undefined : end)
    .trim()
    .split(/\s+/);
  const uid = Number(parts[0]);
  const euid = Number(parts[1]);
  return Number.isInteger(uid) && Number.isInteger(euid) ? { uid, euid } : undefined;
}

/** /proc/PID/cmdline: NUL-separated argv (empty for kernel threads and zombies). */
export function parseCmdline(raw: string): string[] {
  if (raw.length === 0) return [];
  const parts = raw.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `btime` from /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(procStat: string): number | undefined {
  const m = /^btime (\d+)$/m.exec(procStat);
  return m ? Number(m[1]) : undefined;
}
