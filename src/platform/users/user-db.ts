import { readFile } from 'node:fs/promises';

export interface UserEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

export interface ShadowEntry {
  readonly name: string;
  /** The hash field; `!` or `*` prefixes mean the password cannot be used. */
  readonly password: string;
  /** `usermod -L` / `passwd -l` put a `!` in front of the hash. */
  readonly locked: boolean;
  /** Days since 1970-01-01 after which the account is disabled; undefined when empty (never). */
  readonly expireDays: number | undefined;
}

/**
 * Local account databases. Leuko reads the files rather than NSS because the tools that lock
 * an account (usermod, chage) only change local accounts too: a directory (LDAP) user cannot
 * be locked from here, and `lookup` returning undefined for it says so.
 */
export interface UserDb {
  lookup(nameOrUid: string | number): Promise<UserEntry | undefined>;
  shadow(name: string): Promise<ShadowEntry | undefined>;
}

export function createUserDb(opts: { passwdPath?: string; shadowPath?: string } = {}): UserDb {
  const passwdPath = opts.passwdPath ?? '/etc/passwd';
  const shadowPath = opts.shadowPath ?? '/etc/shadow';
  return {
    async lookup(key) {
      const text = await readFile(passwdPath, 'utf8').catch(() => '');
      const byUid = typeof key === 'number' || /^\d+$/.test(key);
      for (const line of text.split('\n')) {
        const e = parsePasswdLine(line);
        if (e && (byUid ? e.uid === Number(key) : e.name === key)) return e;
      }
      return undefined;
    },
    async shadow(name) {
      const text = await readFile(shadowPath, 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        const e = parseShadowLine(line);
        if (e?.name === name) return e;
      }
      return undefined;
    },
  };
}

export function parsePasswdLine(line: string): UserEntry | undefined {
  const f = line.split(':');
  if (f.length < 7 || !f[0] || !/^\d+$/.test(f[2] ?? '') || !/^\d+$/.test(f[3] ?? '')) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '', shell: f[6] ?? '' };
}

export function parseShadowLine(line: string): ShadowEntry | undefined {
  const f = line.split(':');
  if (f.length < 8 || !f[0]) return undefined;
  const password = f[1] ?? '';
  const expire = f[7] ?? '';
  return {
    name: f[0],
    password,
    locked: password.startsWith('!'),
    expireDays: /^\d+$/.test(expire) ? Number(expire) : undefined,
  };
}

/** A valid local user name (what useradd accepts by default); anything else is refused before exec. */
export function isValidUserName(name: string): boolean {
  return /^[a-z_][a-z0-9_-]{0,30}\$?$/i.test(name);
}
