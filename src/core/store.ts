import type { AuditInput, AuditRecord, AuditVerifyResult } from './audit.js';
import type { Decision, DecisionStatus } from './decision.js';
import type { Detection } from './detection.js';
import type { EntityType } from './entity.js';
import type { Incident, IncidentStatus } from './incident.js';

/**
 * Everything one pipeline step produced, written in one transaction together with the source
 * checkpoints, so a crash either keeps all of it or none of it (no lost or doubled decision).
 */
export interface CommitBatch {
  readonly checkpoints?: readonly { readonly sourceId: string; readonly state: string }[];
  readonly detections?: readonly Detection[];
  /** Inserted or replaced by id. */
  readonly incidents?: readonly Incident[];
  /** Inserted or replaced by id. */
  readonly decisions?: readonly Decision[];
  readonly audit?: readonly AuditInput[];
  /** Opaque engine state to persist with the batch (scenario buckets, year hints...). */
  readonly state?: readonly { readonly key: string; readonly value: string }[];
}

export interface DecisionQuery {
  /** Only decisions still in force at this time (ms): not expired and status live. */
  readonly activeAt?: number;
  readonly scope?: EntityType;
  readonly value?: string;
  readonly status?: readonly DecisionStatus[];
  readonly limit?: number;
}

export interface IncidentQuery {
  readonly status?: readonly IncidentStatus[];
  readonly entityValue?: string;
  readonly limit?: number;
}

export interface AuditQuery {
  readonly kind?: string;
  readonly subject?: string;
  readonly afterSeq?: number;
  readonly limit?: number;
}

/**
 * The store behind Leuko: SQLite embedded by default; a PostgreSQL implementation for the
 * hive implements the same interface (hence Promises even where SQLite is synchronous).
 */
export interface Store {
  /** Apply pending migrations; idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  commit(batch: CommitBatch): Promise<void>;

  loadCheckpoint(sourceId: string): Promise<string | undefined>;
  loadState(key: string): Promise<string | undefined>;

  listDecisions(q?: DecisionQuery): Promise<Decision[]>;
  getDecision(id: string): Promise<Decision | undefined>;
  /** How many decisions (any status) were ever made for this scope and value. */
  countOffences(scope: EntityType, value: string): Promise<number>;

  listIncidents(q?: IncidentQuery): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  getDetections(ids: readonly string[]): Promise<Detection[]>;

  listAudit(q?: AuditQuery): Promise<AuditRecord[]>;
  verifyAudit(): Promise<AuditVerifyResult>;
}
