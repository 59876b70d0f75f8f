import path from 'node:path';
import type { ProcessInfo, ProcFs } from '../../platform/proc/index.js';
import type { UserDb } from '../../platform/users/index.js';

export interface ProtectConfig {
  readonly pids?: readonly number[];
  /** Process names (comm or executable base name); honoured only for root-owned executables. */
  readonly names?: readonly string[];
  /** User names or uids whose processes (by real uid) are never touched. */
  readonly users?: readonly (string | number)[];
}

/** Why a process must not be touched, or undefined when it may be. */
export type ProtectionCheck = (p: ProcessInfo) => Promise<string | undefined>;

const SSHD_NAMES = new Set(['sshd']);
const MAX_CHAIN = 4096;

/**
 * A snapshot of what is protected right now. Taken per apply batch because sshd restarts,
 * Leuko's parent can change (re-parenting to a subreaper), and pids are reused.
 *
 * The protected set is what keeps an operator able to reach and fix the host: init, Leuko and
 * the chain that started it, kernel threads, the ssh listener and its parent chain, and what
 * the operator configured. Name-based protection requires a root-owned, non-writable executable,
 * because any user can call itself `sshd` (prctl, or a copied binary) to become unkillable.
 */
export async function snapshotProtection(deps: {
  proc: ProcFs;
  users: UserDb;
  selfPid: number;
  sshPorts: readonly number[];
  protect: ProtectConfig;
}): Promise<ProtectionCheck> {
  const { proc, protect } = deps;
  const reasons = new Map<number, string>();
  const mark = (pid: number, reason: string) => {
    if (!reasons.has(pid)) reasons.set(pid, reason);
  };
  const markChain = async (pid: number, what: string) => {
    mark(pid, what);
    for (const a of (await proc.ancestors(pid)).slice(0, MAX_CHAIN)) mark(a.pid, `an ancestor of ${what}`);
  };

  await markChain(deps.selfPid, `Leuko itself (pid ${deps.selfPid})`);
  for (const pid of protect.pids ?? []) mark(pid, `configured as protected (pid ${pid})`);

  // The ssh listener: whatever listens on the ssh ports, and any `sshd` with a listening socket.
  const sshListeners = new Set<number>();
  for (const port of deps.sshPorts) {
    for (const l of await proc.findListeners(port)) sshListeners.add(l.pid);
  }
  for (const st of await proc.listStats()) {
    if (!SSHD_NAMES.has(st.comm) || sshListeners.has(st.pid)) continue;
    const inodes = await proc.socketInodes(st.pid);
    if (inodes.size === 0) continue;
    const listening = (await proc.tcpSockets(st.pid)).some((s) => s.listening && inodes.has(s.inode));
    if (listening) sshListeners.add(st.pid);
  }
  for (const pid of sshListeners) {
    if (await proc.hasTrustedExe(pid)) await markChain(pid, `the ssh listener (pid ${pid})`);
  }

  const protectedUids = new Map<number, string>();
  for (const u of protect.users ?? []) {
    const entry = await deps.users.lookup(u);
    if (entry) protectedUids.set(entry.uid, entry.name);
    else if (typeof u === 'number' || /^\d+$/.test(u)) protectedUids.set(Number(u), String(u));
  }
  const names = new Set(protect.names ?? []);

  return async (p) => {
    if (p.pid <= 1) return 'pid 1 (init) is never touched';
    if (p.kernelThread) return `pid ${p.pid} (${p.comm}) is a kernel thread`;
    const marked = reasons.get(p.pid);
    if (marked) return `pid ${p.pid} (${p.comm}) is ${marked}`;
    const owner = protectedUids.get(p.uid);
    if (owner !== undefined) return `pid ${p.pid} (${p.comm}) belongs to protected user ${owner}`;
    if (names.size > 0) {
      const exeName = p.exe ? path.basename(p.exe.replace(/ \(deleted\)$/, '')) : undefined;
      const hit = names.has(p.comm) ? p.comm : exeName !== undefined && names.has(exeName) ? exeName : undefined;
      if (hit !== undefined && (await proc.hasTrustedExe(p.pid))) {
        return `pid ${p.pid} (${p.comm}) has protected name ${hit}`;
      }
    }
    return undefined;
  };
}
