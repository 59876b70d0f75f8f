import type { Severity } from './detection.js';
import type { Entity } from './entity.js';

export type IncidentStatus = 'open' | 'contained' | 'healed' | 'closed' | 'dismissed';

/** Detections about the same entity and time window, grouped, with a diagnosis. */
export interface Incident {
  readonly id: string;
  readonly entity: Entity;
  /** Event time (ms) of the first and latest detection. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly status: IncidentStatus;
  readonly severity: Severity;
  readonly scenarios: readonly string[];
  readonly techniques: readonly string[];
  readonly detectionIds: readonly string[];
  /** A readable diagnosis: what, who, since when. */
  readonly explanation: string;
}
