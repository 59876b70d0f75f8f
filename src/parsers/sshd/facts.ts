import type { Peer } from '../shared/address.js';

/**
 * How a sshd line counts, before correlation with the other lines of its connection:
 * - `fail`: an authentication (or pre-auth protocol) failure; it may lack the address.
 * - `nofail`: a failure that is normally followed by its own `Failed ...` line or is part
 *   of normal key probing (PAM `sshd:auth`, `Failed publickey` for an existing user); it only
 *   counts when the connection tries more than one user name.
 * - `success`: `Accepted ...`.
 * - `close`: the connection ends (forget it); it gives the address to a pending failure.
 * - `info`: anything else worth keeping (connection from, sessions, postponed keys...).
 */
export type FactKind = 'fail' | 'nofail' | 'success' | 'close' | 'info';

/**
 * What one sshd line says. A class with every field present (unset ones undefined/false), so
 * all facts share one shape and the correlator's reads stay monomorphic on the hot path.
 */
export class SshdFact {
  kind: FactKind = 'info';
  action: string | undefined = undefined;
  network = false;
  peer: Peer | undefined = undefined;
  /** Several readings of the address fit (attacker text holds a fake one): resolve or drop. */
  candidates: readonly Peer[] | undefined = undefined;
  port: number | undefined = undefined;
  user: string | undefined = undefined;
  method: string | undefined = undefined;
  invalidUser = false;
  preauth = false;
  reason: string | undefined = undefined;
  level: string | undefined = undefined;
  sessionEvent: 'start' | 'end' | undefined = undefined;
}

/**
 * The one fact `fact` hands out, every field reset. A fact lives for one line: classifying a
 * message makes at most one (each reader builds its fact last, after any helper that could
 * make another) and the correlator reads it before the next line is classified, keeping
 * copies of what it remembers, never the fact. Reusing it spares an object of 13 fields on
 * most sshd lines, which the replay pays for again in every young-generation GC.
 */
const current = new SshdFact();

/** A fact of `kind`/`action` carrying the address `peer`/`port` when given (valid until the next call). */
export function fact(kind: FactKind, action: string | undefined, peer?: Peer, port?: number): SshdFact {
  const f = current;
  f.kind = kind;
  f.action = action;
  f.network = false;
  f.peer = peer;
  f.candidates = undefined;
  f.port = port;
  f.user = undefined;
  f.method = undefined;
  f.invalidUser = false;
  f.preauth = false;
  f.reason = undefined;
  f.level = undefined;
  f.sessionEvent = undefined;
  return f;
}
