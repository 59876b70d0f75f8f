import type { EcsEvent } from '../../core/event.js';
import type { Envelope } from './envelope.js';

/**
 * Reads the message of one program (sshd, sudo, postfix...) into `ev`, which already holds the
 * envelope fields. Returns false only when the line must be dropped as a whole (its address
 * is ambiguous because of attacker text); an unrecognized message stays a plain event.
 */
export type ProgramHandler = (env: Envelope, ev: EcsEvent) => boolean;
