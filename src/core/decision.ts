import type { EntityType } from './entity.js';

export type DecisionStatus = 'proposed' | 'approved' | 'applied' | 'verified' | 'rejected' | 'rolled_back' | 'expired';

export type DecisionOrigin = 'scenario' | 'cli' | 'api' | 'fleet' | 'intel' | 'healing';

export type BlastRadius = 'low' | 'medium' | 'high';

/**
 * What to do about an entity, durable across restarts. Times are event time in ms so that a
 * replay yields the same decisions a live run would have.
 */
export interface Decision {
  readonly id: string;
  readonly scope: EntityType;
  /** The address, CIDR range, user name, ... the action applies to. */
  readonly value: string;
  readonly action: string;
  readonly durationS: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly origin: DecisionOrigin;
  readonly scenario?: string;
  readonly incidentId?: string;
  readonly reason: string;
  readonly blastRadius: BlastRadius;
  readonly status: DecisionStatus;
  /** 1 for a first offence; escalation multiplies the duration for repeat offenders. */
  readonly offence: number;
  /** What the policy said, once it has looked at the decision (absent while unevaluated). */
  readonly policy?: DecisionPolicyNote;
  /** Why the status last changed (`verified: element in inet leuko ban4`, `expired`...). */
  readonly statusReason?: string;
  /** Wall-clock ms of the last status change. */
  readonly updatedAt?: number;
}

/** The policy verdict recorded on a decision, so a restart never evaluates it twice. */
export interface DecisionPolicyNote {
  readonly verdict: 'approve' | 'queue' | 'reject' | 'observe' | 'dry-run';
  readonly rule: string;
  readonly reason: string;
  /** Wall-clock ms of the evaluation. */
  readonly at: number;
  /** Approval id when the verdict was `queue`. */
  readonly approvalId?: string;
}
