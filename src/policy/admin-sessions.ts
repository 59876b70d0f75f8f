import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { AdminSession } from './address-guard.js';
import {
  adminUsersFrom,
  parseGroup,
  parsePasswd,
  parseProcNetTcp,
  parseSshdSessionTitle,
  parseStatusUid,
  parseWhoIps,
  socketInode,
  type TcpConnection,
} from './admin-sessions-parse.js';

/** The few file-system reads the scan needs, injected so tests replay captured /proc trees. */
export interface ProcReader {
  readdir(path: string): string[];
  readFile(path: string): string;
  readlink(path: string): string;
}

export const nodeProcReader: ProcReader = {
  readdir: (p) => readdirSync(p),
  readFile: (p) => readFileSync(p, 'latin1'),
  readlink: (p) => readlinkSync(p),
};

/** Runs a command (argv, no shell) and returns its exit code and stdout. */
export type RunCommand = (
  argv: readonly string[],
  opts: { timeoutMs: number },
) => Promise<{ code: number; stdout: string }>;

export const execRunCommand: RunCommand = (argv, opts) =>
  new Promise((resolve) => {
    const [cmd, ...args] = argv;
    if (!cmd) {
      resolve({ code: 127, stdout: '' });
      return;
    }
    execFile(cmd, args, { timeout: opts.timeoutMs, maxBuffer: 1 << 20, encoding: 'utf8' }, (err, stdout) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: stdout ?? '' });
    });
  });

export interface AdminSessionsOptions {
  /** Who counts as an administrator; default root plus members of sudo/wheel/adm/admin. */
  readonly adminUsers?: readonly string[];
  readonly procRoot?: string;
  /** Where passwd and group live (tests point it at samples). */
  readonly etcDir?: string;
  readonly fs?: ProcReader;
  readonly run?: RunCommand;
  /** e.g. `['ip', 'netns', 'exec', NS]` */
  readonly commandPrefix?: readonly string[];
}

export interface AdminSessionsProvider {
  /** Sessions now: a fresh /proc scan plus the last `who --ips` answer. */
  current(): AdminSession[];
  /** Re-run `who --ips` (utmp); call every few seconds. Never rejects. */
  refreshWho(): Promise<void>;
}

/**
 * Where logged-in administrators are connected from.
 *
 * Primary source: /proc. For each process titled `sshd: USER@pts/N` (post-authentication only;
 * see parseSshdSessionTitle) whose executable is sshd and whose real uid is USER's, the remote
 * ends of its established TCP sockets, read from that process's own /proc/<pid>/net/tcp{,6} so
 * it works when sshd lives in another network namespace. This needs no utmp, which sshd without
 * PAM, containers and newer distributions (no utmp after the Y2038 changes) do not write.
 * The exe and uid checks stop a local user from titling a process `sshd: root@pts/0` to get
 * their own address protected.
 *
 * Secondary source: `who --ips` (utmp), merged in when it answers.
 */
export function createAdminSessionsProvider(opts: AdminSessionsOptions = {}): AdminSessionsProvider {
  const fs = opts.fs ?? nodeProcReader;
  const proc = opts.procRoot ?? '/proc';
  const etc = opts.etcDir ?? '/etc';
  const run = opts.run ?? execRunCommand;
  let fromWho: AdminSession[] = [];

  function read(path: string): string | undefined {
    try {
      return fs.readFile(path);
    } catch {
      return undefined;
    }
  }

  function identities(): { admins: Set<string>; uids: Map<string, number> } {
    const passwd = parsePasswd(read(`${etc}/passwd`) ?? '');
    const uids = new Map(passwd.map((p) => [p.name, p.uid] as const));
    const admins = opts.adminUsers
      ? new Set(opts.adminUsers)
      : adminUsersFrom(passwd, parseGroup(read(`${etc}/group`) ?? ''));
    return { admins, uids };
  }

  function scanProc(admins: Set<string>, uids: Map<string, number>): AdminSession[] {
    let pids: string[];
    try {
      pids = fs.readdir(proc).filter((p) => /^\d+$/.test(p));
    } catch {
      return [];
    }
    const out: AdminSession[] = [];
    for (const pid of pids) {
      const cmdline = read(`${proc}/${pid}/cmdline`);
      if (!cmdline?.startsWith('sshd')) continue;
      const title = parseSshdSessionTitle(cmdline);
      if (!title || !admins.has(title.user)) continue;
      const uid = parseStatusUid(read(`${proc}/${pid}/status`) ?? '');
      const expected = title.user === 'root' ? 0 : uids.get(title.user);
      if (uid === undefined || expected === undefined || uid !== expected) continue;
      let exe: string;
      try {
        exe = fs.readlink(`${proc}/${pid}/exe`).replace(/ \(deleted\)$/, '');
      } catch {
        continue;
      }
      if (!/\/sshd(?:-session)?$/.test(exe)) continue;
      const inodes = new Set<string>();
      try {
        for (const fd of fs.readdir(`${proc}/${pid}/fd`)) {
          try {
            const inode = socketInode(fs.readlink(`${proc}/${pid}/fd/${fd}`));
            if (inode) inodes.add(inode);
          } catch {
            // fd closed between readdir and readlink
          }
        }
      } catch {
        continue;
      }
      if (inodes.size === 0) continue;
      const tables: Map<string, TcpConnection>[] = [
        parseProcNetTcp(read(`${proc}/${pid}/net/tcp`) ?? ''),
        parseProcNetTcp(read(`${proc}/${pid}/net/tcp6`) ?? ''),
      ];
      for (const inode of inodes) {
        for (const t of tables) {
          const c = t.get(inode);
          if (c) out.push({ user: title.user, address: c.remote, pid: Number(pid) });
        }
      }
    }
    return out;
  }

  return {
    current() {
      const { admins, uids } = identities();
      const seen = scanProc(admins, uids);
      for (const s of fromWho) if (admins.has(s.user)) seen.push(s);
      return seen;
    },
    async refreshWho() {
      try {
        const r = await run([...(opts.commandPrefix ?? []), 'who', '--ips'], { timeoutMs: 5000 });
        if (r.code === 0) fromWho = parseWhoIps(r.stdout).map((e) => ({ user: e.user, address: e.address }));
      } catch {
        // keep the last answer
      }
    },
  };
}
