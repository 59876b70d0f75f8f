import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { type TcpSocket, parseNetTcp } from './net-tcp.js';
import { PF_KTHREAD, type ProcStat, parseBootTime, parseCmdline, parseStat, parseStatusUids } from './parse-stat.js';

/** Everything Leuko needs to know about one process before it touches it. */
export interface ProcessInfo extends ProcStat {
  /** Real uid: who started it. */
  readonly uid: number;
  readonly euid: number;
  readonly cmdline: readonly string[];
  /** Resolved /proc/PID/exe, when readable (not for kernel threads or exited processes). */
  readonly exe?: string;
  readonly kernelThread: boolean;
}

export interface Listener {
  readonly pid: number;
  readonly comm: string;
  readonly socket: TcpSocket;
}

/** Bounds so a pathological process table (fork bomb) cannot make a scan run forever. */
const MAX_DEPTH = 4096;

/**
 * Read-only access to /proc. `root` is injectable so parsing can be tested against a fixture
 * tree; in production it is `/proc`. Every method returns undefined/empty for a process that
 * vanished mid-read: processes exit at any moment and that is an expected outcome.
 */
export interface ProcFs {
  readonly root: string;
  readStat(pid: number): Promise<ProcStat | undefined>;
  readProcess(pid: number): Promise<ProcessInfo | undefined>;
  listPids(): Promise<number[]>;
  /** Every process's stat line (one pass; cheap fields only). */
  listStats(): Promise<ProcStat[]>;
  children(pid: number): Promise<number[]>;
  /** Breadth-first descendants, nearest first, at most `limit`. */
  descendants(pid: number, limit?: number): Promise<number[]>;
  /** The parent chain from `pid`'s parent up to pid 1 (stat only). */
  ancestors(pid: number): Promise<ProcStat[]>;
  /** Socket inodes among the process's open file descriptors. */
  socketInodes(pid: number): Promise<Set<string>>;
  /** TCP sockets in the network namespace of `pid` (or of the reader when omitted). */
  tcpSockets(pid?: number): Promise<TcpSocket[]>;
  /** Processes holding a listening TCP socket on `port` (any address, IPv4 or IPv6). */
  findListeners(port: number): Promise<Listener[]>;
  isStopped(pid: number): Promise<boolean>;
  /** True when the pid is gone, a zombie, or now names a different process than `startTicks`. */
  isGone(pid: number, startTicks?: number): Promise<boolean>;
  bootTimeMs(): Promise<number | undefined>;
  /** The process runs a root-owned executable nobody else can write (see trustedExeAt). */
  hasTrustedExe(pid: number): Promise<boolean>;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function createProcFs(opts: { root?: string } = {}): ProcFs {
  const root = opts.root ?? '/proc';
  const p = (...parts: (string | number)[]) => path.join(root, ...parts.map(String));

  const readStat = async (pid: number) => {
    const t = await readText(p(pid, 'stat'));
    return t === undefined ? undefined : parseStat(t);
  };

  const listPids = async () => {
    let names: string[];
    try {
      names = await readdir(root);
    } catch {
      return [];
    }
    const pids: number[] = [];
    for (const n of names) if (/^\d+$/.test(n)) pids.push(Number(n));
    return pids.sort((a, b) => a - b);
  };

  const listStats = async () => {
    const stats = await Promise.all((await listPids()).map(readStat));
    return stats.filter((s): s is ProcStat => s !== undefined);
  };

  const children = async (pid: number) => {
    // /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN) avoids a full scan; fall back to one.
    let tids: string[] | undefined;
    try {
      tids = await readdir(p(pid, 'task'));
    } catch {
      return [];
    }
    const lists = await Promise.all(tids.map((tid) => readText(p(pid, 'task', tid, 'children'))));
    if (lists.every((l) => l !== undefined)) {
      const out = new Set<number>();
      for (const l of lists) for (const c of (l ?? '').trim().split(/\s+/)) if (c) out.add(Number(c));
      return [...out];
    }
    return (await listStats()).filter((s) => s.ppid === pid).map((s) => s.pid);
  };

  const socketInodes = async (pid: number) => {
    const out = new Set<string>();
    let fds: string[];
    try {
      fds = await readdir(p(pid, 'fd'));
    } catch {
      return out;
    }
    const links = await Promise.all(fds.map((fd) => readlink(p(pid, 'fd', fd)).catch(() => '')));
    for (const l of links) if (l.startsWith('socket:[')) out.add(l.slice(8, -1));
    return out;
  };

  const tcpSockets = async (pid?: number) => {
    const base = pid === undefined ? p('net') : p(pid, 'net');
    const [v4, v6] = await Promise.all([readText(path.join(base, 'tcp')), readText(path.join(base, 'tcp6'))]);
    return [...(v4 ? parseNetTcp(v4, 4) : []), ...(v6 ? parseNetTcp(v6, 6) : [])];
  };

  return {
    root,
    readStat,
    listPids,
    listStats,
    children,
    socketInodes,
    tcpSockets,

    async readProcess(pid) {
      const [statText, status, cmdline, exe] = await Promise.all([
        readText(p(pid, 'stat')),
        readText(p(pid, 'status')),
        readText(p(pid, 'cmdline')),
        readlink(p(pid, 'exe')).catch(() => undefined),
      ]);
      const st = statText === undefined ? undefined : parseStat(statText);
      const uids = status === undefined ? undefined : parseStatusUids(status);
      if (!st || !uids) return undefined;
      return {
        ...st,
        ...uids,
        cmdline: parseCmdline(cmdline ?? ''),
        ...(exe !== undefined ? { exe } : {}),
        kernelThread: (st.flags & PF_KTHREAD) !== 0 || st.pid === 2 || st.ppid === 2,
      };
    },

    async descendants(pid, limit = 10_000) {
      const out: number[] = [];
      const seen = new Set<number>([pid]);
      let frontier = [pid];
      for (let depth = 0; frontier.length > 0 && depth < MAX_DEPTH && out.length < limit; depth++) {
        const next: number[] = [];
        for (const kids of await Promise.all(frontier.map(children))) {
          for (const k of kids) {
            if (seen.has(k) || out.length >= limit) continue;
            seen.add(k);
            out.push(k);
            next.push(k);
          }
        }
        frontier = next;
      }
      return out;
    },

    async ancestors(pid) {
      const out: ProcStat[] = [];
      let cur = await readStat(pid);
      for (let i = 0; cur && cur.ppid > 0 && i < MAX_DEPTH; i++) {
        const parent = await readStat(cur.ppid);
        if (!parent) break;
        out.push(parent);
        cur = parent;
      }
      return out;
    },

    async findListeners(port) {
      const wanted = new Map<string, TcpSocket>();
      for (const s of await tcpSockets()) if (s.listening && s.port === port) wanted.set(s.inode, s);
      if (wanted.size === 0) return [];
      const out: Listener[] = [];
      for (const st of await listStats()) {
        for (const inode of await socketInodes(st.pid)) {
          const socket = wanted.get(inode);
          if (socket) out.push({ pid: st.pid, comm: st.comm, socket });
        }
      }
      return out;
    },

    async isStopped(pid) {
      const s = await readStat(pid);
      return s !== undefined && (s.state === 'T' || s.state === 't');
    },

    async isGone(pid, startTicks) {
      const s = await readStat(pid);
      if (!s || s.state === 'Z' || s.state === 'X') return true;
      return startTicks !== undefined && s.startTicks !== startTicks;
    },

    hasTrustedExe: (pid) => trustedExeAt(p(pid, 'exe')),

    async bootTimeMs() {
      const t = await readText(p('stat'));
      const b = t === undefined ? undefined : parseBootTime(t);
      return b === undefined ? undefined : b * 1000;
    },
  };
}

/**
 * True when the file behind the process is root-owned and not writable by group or others,
 * i.e. an unprivileged attacker could not have planted it. stat() on /proc/PID/exe follows
 * the kernel's link to the mapped file itself, even if it was renamed or lives in another
 * mount namespace, so a copied binary in /tmp named `sshd` does not pass.
 */
async function trustedExeAt(exeLink: string): Promise<boolean> {
  try {
    const s = await stat(exeLink);
    return s.uid === 0 && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
