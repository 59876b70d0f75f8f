import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { ApiRepos, Credential, CredentialRole } from '../core/store.js';

export type { Credential, CredentialRole } from '../core/store.js';

/** Roles, weakest first: each can do what the ones before it can. */
export const TOKEN_ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Does `have` include what `need` allows? A bouncer key is never an API token. */
export function roleAllows(have: CredentialRole, need: TokenRole): boolean {
  if (have === 'bouncer') return false;
  return TOKEN_ROLES.indexOf(have) >= TOKEN_ROLES.indexOf(need);
}

/** sha256 of a secret, hex: what the table keeps. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface CredentialsRepo {
  /** Create one; the secret is returned here and never again. */
  create(role: CredentialRole, name: string): Promise<{ credential: Credential; secret: string }>;
  /** The live credential a secret belongs to (revoked ones do not authenticate). */
  authenticate(secret: string): Promise<Credential | undefined>;
  list(kind: 'tokens' | 'bouncers'): Promise<Credential[]>;
  /** Revoke by id or by name (a bouncer's name is unique among live bouncers). */
  revoke(idOrName: string, kind: 'tokens' | 'bouncers'): Promise<Credential | undefined>;
}

/**
 * API tokens and bouncer keys in `api_credentials` (migration 030), on SQLite or PostgreSQL
 * (`ApiRepos`). Secrets are `lk_` + 43 base64url characters (256 random bits): guessing is
 * hopeless, and a hash lookup (indexed, UNIQUE) answers in constant work per request.
 *
 * @example
 * const { secret } = await createCredentialsRepo(repos.credentials, clock, ids).create('operator', 'alice');
 */
export function createCredentialsRepo(table: ApiRepos['credentials'], clock: Clock, ids: IdGenerator): CredentialsRepo {
  // last_used_at is for people ("is this token still in use?"): minute resolution saves a
  // write on every request.
  const lastTouched = new Map<string, number>();
  return {
    async create(role, name) {
      const secret = `lk_${randomBytes(32).toString('base64url')}`;
      const credential: Credential = {
        id: ids.next(role === 'bouncer' ? 'bnc' : 'tok'),
        name,
        role,
        createdAt: clock.now(),
        lastUsedAt: null,
        revokedAt: null,
      };
      if (!(await table.insert(credential, hashSecret(secret))))
        throw new Error(`a bouncer named ${name} already exists: pick another name or delete it first`);
      return { credential, secret };
    },
    async authenticate(secret) {
      if (secret.length < 8 || secret.length > 200) return undefined;
      const cred = await table.byHash(hashSecret(secret));
      if (!cred) return undefined;
      const now = clock.now();
      if (now - (lastTouched.get(cred.id) ?? 0) > 60_000) {
        lastTouched.set(cred.id, now);
        await table.touch(cred.id, now);
      }
      return cred;
    },
    list: (kind) => table.list(kind),
    revoke: (idOrName, kind) => table.revoke(idOrName, kind, clock.now()),
  };
}
