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

/** Roles of an API credential; `bouncer` keys only reach the CrowdSec endpoints. */
export type CredentialRole = 'viewer' | 'operator' | 'admin' | 'bouncer';

/** A stored API credential, never with its secret. */
export interface Credential {
  readonly id: string;
  readonly name: string;
  readonly role: CredentialRole;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export type Verdict = 'false_positive' | 'true_positive';

/** An operator's verdict on an incident. */
export interface FeedbackRecord {
  readonly id: string;
  readonly incidentId: string;
  readonly verdict: Verdict;
  readonly actor: string;
  readonly note: string | null;
  readonly at: number;
}

export interface DetectionSearch {
  /** Substring of the stored detection (evidence lines included). */
  readonly q?: string;
  readonly scenario?: string;
  readonly entity?: string;
  readonly since?: number;
  readonly limit: number;
}

/** A decision waiting for (or answered by) a person: the approvals table (migration 002). */
export interface ApprovalRecord {
  readonly id: string;
  readonly decisionId: string;
  /** The decision as it was when queued: what the person is asked to approve. */
  readonly decision: Decision;
  /** Why the policy queued it. */
  readonly reason: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly status: 'pending' | 'approved' | 'rejected' | 'expired';
  readonly decidedBy?: string;
  readonly decidedAt?: number;
  /** The reviewer's reason for a rejection, or `expired`. */
  readonly note?: string;
}

/**
 * The tables the HTTP API keeps beside the `Store` (credentials, bouncer deliveries, feedback,
 * approvals) and the grouped reads it needs, asynchronous so SQLite (the daemon) and
 * PostgreSQL (the hive) serve the same API. Built by `createApiRepos` (src/store/api-repos.ts)
 * over either database; the store conformance suite holds both to the same behaviour.
 */
export interface ApiRepos {
  readonly credentials: {
    /** Insert one (the caller made the id and hashed the secret); false if a live bouncer has the name. */
    insert(c: Credential, hash: string): Promise<boolean>;
    /** The live (not revoked) credential with this secret hash. */
    byHash(hash: string): Promise<Credential | undefined>;
    touch(id: string, at: number): Promise<void>;
    list(kind: 'tokens' | 'bouncers'): Promise<Credential[]>;
    /** Revoke the oldest live one with this id or name; returns it revoked, or undefined. */
    revoke(idOrName: string, kind: 'tokens' | 'bouncers', at: number): Promise<Credential | undefined>;
  };
  readonly feedback: {
    add(f: FeedbackRecord): Promise<void>;
    list(incidentId: string): Promise<FeedbackRecord[]>;
  };
  readonly approvals: {
    /** Oldest first; `pending` lists only those not yet due to expire at `now`. */
    list(status: readonly ApprovalRecord['status'][], limit: number, now: number): Promise<ApprovalRecord[]>;
    get(id: string): Promise<ApprovalRecord | undefined>;
    /** pending -> approved/rejected only while `now < expiresAt`; the updated record or undefined. */
    decide(
      id: string,
      to: 'approved' | 'rejected',
      by: string,
      now: number,
      note?: string,
    ): Promise<ApprovalRecord | undefined>;
  };
  readonly bouncers: {
    /**
     * One pull of the CrowdSec stream for a bouncer, in one transaction: record `active`
     * (decision id -> JSON) as delivered and return what it had not been told yet and what it
     * was told but is no longer active (its JSON). `startup` forgets what was delivered.
     */
    deliver(
      bouncerId: string,
      startup: boolean,
      active: ReadonlyMap<string, string>,
    ): Promise<{ fresh: string[]; gone: string[] }>;
  };
  readonly counts: {
    activeDecisions(now: number): Promise<number>;
    openIncidents(): Promise<number>;
    pendingApprovals(now: number): Promise<number>;
    decisionsByActionStatus(): Promise<{ action: string; status: string; n: number }[]>;
  };
  /** Highest audit sequence number (0 for an empty log). */
  auditHeadSeq(): Promise<number>;
  /** Stored detections' JSON, newest first. */
  searchDetections(q: DetectionSearch): Promise<string[]>;
}
