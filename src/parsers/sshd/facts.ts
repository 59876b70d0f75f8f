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

export interface SshdFact {
  readonly kind: FactKind;
  readonly action: string | undefined;
  readonly network?: boolean;
  readonly peer?: Peer | undefined;
  /** Several readings of the address fit (attacker text holds a fake one): resolve or drop. */
  readonly candidates?: readonly Peer[] | undefined;
  readonly port?: number | undefined;
  readonly user?: string | undefined;
  readonly method?: string | undefined;
  readonly invalidUser?: boolean;
  readonly preauth?: boolean;
  readonly reason?: string | undefined;
  readonly level?: string | undefined;
  readonly sessionEvent?: 'start' | 'end';
}
