import ipaddr from 'ipaddr.js';

/**
 * Pure parsers for finding administrators' ssh sessions. Every one takes text as the kernel or
 * a tool printed it and never throws: junk lines are skipped.
 */

export interface TcpConnection {
  readonly local: string;
  readonly localPort: number;
  readonly remote: string;
  readonly remotePort: number;
}

/** `0100007F` (little-endian u32) -> bytes in network order. */
function wordBytes(hex: string, out: number[]): boolean {
  if (hex.length !== 8) return false;
  const v = Number.parseInt(hex, 16);
  if (!Number.isFinite(v)) return false;
  out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  return true;
}

/** Decode a /proc/net/tcp{,6} address (`0100007F` or 32 hex digits); IPv4-mapped -> IPv4. */
export function decodeProcAddress(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 8) if (!wordBytes(hex.slice(i, i + 8), bytes)) return undefined;
  if (bytes.length === 4) return bytes.join('.');
  const v6 = ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toString();
}

const ESTABLISHED = '01';

/**
 * Established TCP connections of a /proc/<pid>/net/tcp or tcp6 table, by socket inode.
 * Columns: sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
 */
export function parseProcNetTcp(text: string): Map<string, TcpConnection> {
  const out = new Map<string, TcpConnection>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== ESTABLISHED) continue;
    const [lAddr, lPort] = (f[1] ?? '').split(':');
    const [rAddr, rPort] = (f[2] ?? '').split(':');
    const inode = f[9] ?? '';
    if (!/^\d+$/.test(inode) || inode === '0') continue;
    const local = decodeProcAddress(lAddr ?? '');
    const remote = decodeProcAddress(rAddr ?? '');
    if (!local || !remote) continue;
    out.set(inode, {
      local,
      localPort: Number.parseInt(lPort ?? '', 16),
      remote,
      remotePort: Number.parseInt(rPort ?? '', 16),
    });
  }
  return out;
}

/**
 * The user of a logged-in ssh session from its process title, or undefined.
 *
 * Only the post-authentication title counts: `sshd: alice@pts/0`, `sshd: alice@notty`
 * (OpenSSH >= 9.8: `sshd-session: alice@pts/0`). `sshd: root [priv]`, `[net]`, `[preauth]`,
 * `[accepted]` and `unknown` are connections still authenticating: a brute-forcer guessing
 * root's password shows as `sshd: root [priv]`, and must never be taken for an admin.
 */
export function parseSshdSessionTitle(cmdline: string): { user: string; tty: string } | undefined {
  // /proc/<pid>/cmdline is NUL-separated; setproctitle pads with NULs or spaces.
  const title = cmdline.replace(/\0+/g, ' ').trim();
  const m = /^sshd(?:-session)?: ([A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}\$?)@(pts\/\d+|notty|tty\d+)$/.exec(title);
  if (!m) return undefined;
  return { user: m[1] as string, tty: m[2] as string };
}

/** The real uid from /proc/<pid>/status (`Uid:\t0\t0\t0\t0`). */
export function parseStatusUid(status: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** Inode of a /proc/<pid>/fd link target `socket:[12345]`. */
export function socketInode(link: string): string | undefined {
  const m = /^socket:\[(\d+)\]$/.exec(link);
  return m ? m[1] : undefined;
}

export interface WhoEntry {
  readonly user: string;
  readonly line: string;
  readonly address: string;
}

/** An address from who's host column: `(192.0.2.5)`, `192.0.2.5`, `(192.0.2.5:0)`, `(2001:db8::5)`. */
function whoHost(token: string): string | undefined {
  const t = token.replace(/^\(/, '').replace(/\)$/, '');
  if (ipaddr.isValid(t) && (t.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(t))) return t;
  const v4display = /^(\d{1,3}(?:\.\d{1,3}){3}):[\d.]+$/.exec(t);
  if (v4display && ipaddr.IPv4.isValidFourPartDecimal(v4display[1] as string)) return v4display[1];
  return undefined;
}

/**
 * `who --ips` output: `alice    pts/0        2024-05-01 10:00 (192.0.2.5)`. Lines whose last
 * field is not an IP address (local consoles, tmux, host names) are skipped.
 */
export function parseWhoIps(text: string): WhoEntry[] {
  const out: WhoEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) continue;
    const address = whoHost(f[f.length - 1] ?? '');
    if (!address) continue;
    out.push({ user: f[0] as string, line: f[1] as string, address });
  }
  return out;
}

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** /etc/passwd: `name:x:uid:gid:gecos:home:shell`. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || !f[0] || !/^\d+$/.test(f[2] ?? '') || !/^\d+$/.test(f[3] ?? '')) continue;
    out.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]) });
  }
  return out;
}

/** /etc/group: `sudo:x:27:alice,bob` -> name, gid, members. */
export function parseGroup(text: string): { name: string; gid: number; members: string[] }[] {
  const out: { name: string; gid: number; members: string[] }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const f = line.trim().split(':');
    if (f.length < 4 || !f[0] || !/^\d+$/.test(f[2] ?? '')) continue;
    const members = (f[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    out.push({ name: f[0], gid: Number(f[2]), members });
  }
  return out;
}

export const DEFAULT_ADMIN_GROUPS = ['sudo', 'wheel', 'adm', 'admin'] as const;

/** root, plus members of the admin groups, by membership or primary group. */
export function adminUsersFrom(
  passwd: readonly PasswdEntry[],
  groups: ReturnType<typeof parseGroup>,
  adminGroups: readonly string[] = DEFAULT_ADMIN_GROUPS,
): Set<string> {
  const users = new Set<string>(['root']);
  const gids = new Set<number>();
  for (const g of groups) {
    if (!adminGroups.includes(g.name)) continue;
    gids.add(g.gid);
    for (const m of g.members) users.add(m);
  }
  for (const p of passwd) if (gids.has(p.gid) || p.uid === 0) users.add(p.name);
  return users;
}
