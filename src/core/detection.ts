import type { DecisionOrigin } from './decision.js';
import type { Entity } from './entity.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** One line of evidence behind a detection, kept verbatim. */
export interface Evidence {
  /** ISO event time. */
  readonly timestamp: string;
  readonly message: string;
  readonly sourceId: string;
}

/** The response a detection asks for; policy decides whether it happens. */
export interface RemediationHint {
  readonly action: 'ban' | 'captcha' | 'notify';
  /** Base duration in seconds before repeat-offender escalation. */
  readonly durationS: number;
  readonly scope: 'ip' | 'range';
}

/**
 * A detector's finding. `explanation` is written for a person:
 * "6 failed ssh logins for 4 users in 38 s; threshold 5 (leaky bucket, leak 10 s)".
 */
export interface Detection {
  readonly id: string;
  /** Scenario or rule id, e.g. `leuko/ssh-bf`. */
  readonly scenario: string;
  /** Event time (ms) at which the detection fired. */
  readonly time: number;
  readonly entity: Entity;
  /** MITRE ATT&CK technique ids, e.g. `T1110.001`. */
  readonly techniques: readonly string[];
  /** 0..1 */
  readonly confidence: number;
  readonly severity: Severity;
  /** How many events made the detection fire. */
  readonly count: number;
  readonly explanation: string;
  /** A bounded sample of the events behind it (first and last ones). */
  readonly evidence: readonly Evidence[];
  readonly remediation?: RemediationHint;
  readonly labels?: Readonly<Record<string, string>>;
  /** Who asks: decisions inherit it (`intel` for feed matches); `scenario` when absent. */
  readonly origin?: DecisionOrigin;
}
