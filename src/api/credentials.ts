import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';

/** Roles, weakest first: each can do what the ones before it can. */
export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];
export type CredentialRole = TokenRole | 'bouncer';

/** A stored credential, never with its secret. */
export interface Credential {
  readonly id: string;
  readonly name: string;
  readonly role: CredentialRole;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

/** Does `have` include what `need` allows? A bouncer key is never an API token. */
export function roleAllows(have: CredentialRole, need: TokenRole): boolean {
  if (have === 'bouncer') return false;
  return TOKEN_ROLES.indexOf(have) >= TOKEN_ROLES.indexOf(need);
}

/** sha256 of a secret, hex: what the table keeps. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

interface Row {
  id: string;
  name: string;
  role: CredentialRole;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const toCredential = (r: Row): Credential => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: Number(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export interface CredentialsRepo {
  /** Create one; the secret is returned here and never again. */
  create(role: CredentialRole, name: string): { credential: Credential; secret: string };
  /** The live credential a secret belongs to (revoked ones do not authenticate). */
  authenticate(secret: string): Credential | undefined;
  list(kind: 'tokens' | 'bouncers'): Credential[];
  /** Revoke by id or by name (a bouncer's name is unique among live bouncers); true when one changed. */
  revoke(idOrName: string, kind: 'tokens' | 'bouncers'): Credential | undefined;
}

/**
 * API tokens and bouncer keys in `api_credentials` (migration 030). Secrets are
 * `lk_` + 43 base64url characters (256 random bits): guessing is hopeless, and a hash lookup
 * (indexed, UNIQUE) answers in constant work per request.
 *
 * @example
 * const { secret } = createCredentialsRepo(db, clock, ids).create('operator', 'alice');
 */
export function createCredentialsRepo(db: Database.Database, clock: Clock, ids: IdGenerator): CredentialsRepo {
  const cols = 'id, name, role, created_at, last_used_at, revoked_at';
  const byHash = db.prepare(`SELECT ${cols} FROM api_credentials WHERE hash = ? AND revoked_at IS NULL`);
  const touch = db.prepare('UPDATE api_credentials SET last_used_at = ? WHERE id = ?');
  // last_used_at is for people ("is this token still in use?"): minute resolution saves a
  // write on every request.
  const lastTouched = new Map<string, number>();
  return {
    create(role, name) {
      const secret = `lk_${randomBytes(32).toString('base64url')}`;
      const now = clock.now();
      const id = ids.next(role === 'bouncer' ? 'bnc' : 'tok');
      if (role === 'bouncer') {
        const taken = db
          .prepare("SELECT 1 FROM api_credentials WHERE role = 'bouncer' AND name = ? AND revoked_at IS NULL")
          .get(name);
        if (taken) throw new Error(`a bouncer named ${name} already exists: pick another name or delete it first`);
      }
      db.prepare('INSERT INTO api_credentials (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
        id,
        name,
        role,
        hashSecret(secret),
        now,
      );
      return {
        credential: { id, name, role, createdAt: now, lastUsedAt: null, revokedAt: null },
        secret,
      };
    },
    authenticate(secret) {
      if (secret.length < 8 || secret.length > 200) return undefined;
      const row = byHash.get(hashSecret(secret)) as Row | undefined;
      if (!row) return undefined;
      const now = clock.now();
      if (now - (lastTouched.get(row.id) ?? 0) > 60_000) {
        lastTouched.set(row.id, now);
        touch.run(now, row.id);
      }
      return toCredential(row);
    },
    list(kind) {
      const where = kind === 'bouncers' ? "role = 'bouncer'" : "role <> 'bouncer'";
      return (db.prepare(`SELECT ${cols} FROM api_credentials WHERE ${where} ORDER BY created_at`).all() as Row[]).map(
        toCredential,
      );
    },
    revoke(idOrName, kind) {
      const where = kind === 'bouncers' ? "role = 'bouncer'" : "role <> 'bouncer'";
      const row = db
        .prepare(
          `SELECT ${cols} FROM api_credentials WHERE ${where} AND revoked_at IS NULL AND (id = ? OR name = ?) ORDER BY created_at LIMIT 1`,
        )
        .get(idOrName, idOrName) as Row | undefined;
      if (!row) return undefined;
      const now = clock.now();
      db.prepare('UPDATE api_credentials SET revoked_at = ? WHERE id = ?').run(now, row.id);
      return { ...toCredential(row), revokedAt: now };
    },
  };
}
