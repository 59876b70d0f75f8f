/** What an audit record is about. */
export type AuditKind = 'detection' | 'incident' | 'decision' | 'action' | 'config' | 'daemon' | 'operator' | 'fleet';

/** An audit entry before the store chains it. */
export interface AuditInput {
  readonly kind: AuditKind;
  /** What happened, e.g. `decision.proposed`, `incident.opened`, `daemon.started`. */
  readonly action: string;
  /** Id of the detection, decision, incident... the record is about. */
  readonly subject: string;
  /** Who did it: `leuko`, `cli:root`, `scenario:leuko/ssh-bf`. */
  readonly actor: string;
  /** Wall-clock time (ms) the record was written. */
  readonly at: number;
  readonly data: unknown;
}

/**
 * An audit record as stored: append-only and hash-chained. `hash` is sha256 over the previous
 * record's hash and the canonical JSON of this record's other fields, so an edited, reordered
 * or deleted record breaks the chain at that point.
 */
export interface AuditRecord extends AuditInput {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerifyResult =
  | { readonly ok: true; readonly records: number; readonly head: string }
  | { readonly ok: false; readonly records: number; readonly brokenAt: number; readonly reason: string };
