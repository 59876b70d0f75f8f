import type { Decision } from '../core/decision.js';
import type { EntityType } from '../core/entity.js';

/** The part of a decision the fleet shares: enough to enforce it, nothing host-private. */
export interface SharedDecision {
  readonly id: string;
  readonly scope: EntityType;
  readonly value: string;
  readonly action: string;
  readonly durationS: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly reason: string;
  readonly scenario?: string;
  /** The host that decided. */
  readonly host: string;
}

/** Actions another host may enforce on its own responders. */
export const SHAREABLE_ACTIONS: readonly string[] = ['ban'];

/** Only a host's own ban decisions travel: fleet copies are never re-shared (no echo). */
export function isShareable(d: Decision): boolean {
  return d.origin !== 'fleet' && (d.scope === 'ip' || d.scope === 'range') && SHAREABLE_ACTIONS.includes(d.action);
}

export function toShared(d: Decision, host: string): SharedDecision {
  return {
    id: d.id,
    scope: d.scope,
    value: d.value,
    action: d.action,
    durationS: d.durationS,
    createdAt: d.createdAt,
    expiresAt: d.expiresAt,
    reason: d.reason,
    ...(d.scenario === undefined ? {} : { scenario: d.scenario }),
    host,
  };
}

/** Shape check of a body read off the bus (it was signed, but a signer can still be buggy). */
export function readShared(body: unknown): SharedDecision | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const strings = ['id', 'scope', 'value', 'action', 'reason', 'host'] as const;
  for (const k of strings) if (typeof b[k] !== 'string') return undefined;
  for (const k of ['durationS', 'createdAt', 'expiresAt'] as const) {
    if (typeof b[k] !== 'number' || !Number.isFinite(b[k] as number)) return undefined;
  }
  if (b.scenario !== undefined && typeof b.scenario !== 'string') return undefined;
  return b as unknown as SharedDecision;
}

/**
 * The local copy of a fleet decision. It keeps the decider's id, so a message seen twice (a
 * reconnect, a restart, a second reporter) lands on the same row: no duplicates.
 */
export function fromShared(s: SharedDecision, signer: string, reporters: readonly string[], now: number): Decision {
  const remainingS = Math.max(1, Math.round((s.expiresAt - now) / 1000));
  return {
    id: s.id,
    scope: s.scope,
    value: s.value,
    action: s.action,
    durationS: remainingS,
    createdAt: now,
    expiresAt: s.expiresAt,
    origin: 'fleet',
    ...(s.scenario === undefined ? {} : { scenario: s.scenario }),
    reason: `fleet: ${s.host} (signed by ${signer}${reporters.length > 1 ? `; quorum ${reporters.join(', ')}` : ''}): ${s.reason}`,
    blastRadius: s.scope === 'range' ? 'medium' : 'low',
    status: 'proposed',
    offence: 1,
  };
}
