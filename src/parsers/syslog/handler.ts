import type { EcsEvent } from '../../core/event.js';
import type { Envelope } from './envelope.js';

/**
 * Reads the message of one program (sshd, sudo, postfix...) into `ev`, which already holds the
 * envelope fields. Returns false only when the line must be dropped as a whole (its address
 * is ambiguous because of attacker text); an unrecognized message stays a plain event.
 */
export type ProgramHandler = ((env: Envelope, ev: EcsEvent) => boolean) & {
  /**
   * What the handler remembers of its stream that a restart must keep (sshd's open
   * connections), as JSON-able data; undefined when it remembers nothing.
   */
  snapshot?(): unknown;
  /** Take back a `snapshot`, in a fresh handler, before its first line. */
  restore?(state: unknown): void;
};
