import type { Entity } from '../core/entity.js';

/**
 * A suppression proposed by a false-positive verdict: detections of `scenario` (and, when set,
 * about `entity`) are dropped before they become incidents or decisions, once it is `active`.
 */
export interface Suppression {
  readonly id: string;
  readonly status: 'proposed' | 'active' | 'revoked';
  readonly scenario: string;
  /** Absent: the whole scenario is muted (scope `scenario`). */
  readonly entity?: Entity;
  readonly incidentId: string;
  readonly reason: string;
  /** Wall-clock ms. */
  readonly createdAt: number;
  readonly acceptedAt?: number;
  readonly acceptedBy?: string;
}

export type IndicatorKind = 'ip' | 'user_agent' | 'payload' | 'file_hash';

/** Immune memory: an indicator a true positive carried, matched on new events until it expires. */
export interface Memory {
  readonly id: string;
  readonly kind: IndicatorKind;
  readonly value: string;
  readonly incidentId: string;
  readonly scenarios: readonly string[];
  /** Wall-clock ms. */
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** One raw line kept for feedback replays. */
export interface RecentLine {
  readonly time: number;
  readonly sourceId: string;
  readonly line: string;
}

export const suppressionMatches = (s: Suppression, scenario: string, entity: Entity): boolean =>
  s.scenario === scenario &&
  (s.entity === undefined || (s.entity.type === entity.type && s.entity.value === entity.value));
