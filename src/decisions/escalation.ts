import * as crypto from 'node:crypto';

/**
 * SHA-256 of a short text. `crypto.hash` (Node >= 20.12) skips the Hash object and the OpenSSL
 * algorithm fetch that `createHash` pays on every call; both give the same digest.
 */
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text).digest();

export interface EscalationPolicy {
  /** Each repeat offence multiplies the base duration by this. */
  readonly factor: number;
  /** Cap, in seconds. */
  readonly maxDurationS: number;
  /** Relative spread, 0..0.5: 0.1 means +-10 %. */
  readonly jitter: number;
}

/**
 * Duration for the n-th offence (1-based): base * factor^(n-1), capped, with jitter.
 *
 * Jitter keeps a botnet's bans from all expiring in the same second (and lets attackers less
 * easily time their return). It is derived from a hash of the entity and offence number rather
 * than Math.random, so a replay produces exactly the decisions a live run did.
 */
export function escalatedDurationS(baseS: number, offence: number, policy: EscalationPolicy, entity: string): number {
  const n = Math.max(1, Math.floor(offence));
  const raw = Math.min(baseS * policy.factor ** (n - 1), policy.maxDurationS);
  if (policy.jitter <= 0) return Math.round(raw);
  const h = sha256(`${entity}#${n}`);
  const unit = h.readUInt32BE(0) / 0xffffffff; // 0..1
  const spread = (unit * 2 - 1) * policy.jitter;
  return Math.max(1, Math.round(Math.min(raw * (1 + spread), policy.maxDurationS)));
}
