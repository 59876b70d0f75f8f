import type { AuditInput } from '../core/audit.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { Incident } from '../core/incident.js';
import type { ApiRepos, Store } from '../core/store.js';
import type { SqlRunner } from './sql-runner.js';

/** Direct, store-bypassing writes to the audit tables, to prove tampering is detected. */
export interface AuditTamper {
  /** Overwrite columns of record `seq` (column names as in the schema: data, prev_hash...). */
  update(seq: number, patch: Readonly<Record<string, string | number | null>>): Promise<void>;
  delete(seq: number): Promise<void>;
  /** Exchange the seq numbers of two records (reordering the log). */
  swapSeq(a: number, b: number): Promise<void>;
  setHead(seq: number, hash: string): Promise<void>;
  deleteHead(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreConformanceOptions {
  /** Bypass the store to edit the database behind `store`. Without it, tamper tests are skipped. */
  readonly tamper?: (store: Store) => Promise<AuditTamper>;
  /** A second, independent handle on the database behind `store` (another process's view). */
  readonly openAnother?: (store: Store) => Promise<Store>;
  /**
   * The API's repositories on the database behind `store`, with a raw runner to seed what only
   * the daemon writes (approvals). Without it, the API cases are skipped.
   */
  readonly api?: (store: Store) => Promise<{ repos: ApiRepos; sql: SqlRunner; close(): Promise<void> | void }>;
}

export const T0 = Date.UTC(2026, 1, 12, 14, 10, 21);

export function detection(n: number, over: Partial<Detection> = {}): Detection {
  return {
    id: `det_${n}`,
    scenario: 'leuko/ssh-bf',
    time: T0 + n * 1000,
    entity: { type: 'ip', value: `203.0.113.${n % 256}` },
    techniques: ['T1110.001'],
    confidence: 0.9,
    severity: 'high',
    count: 6,
    explanation: `6 failed ssh logins for 4 users in 38 s; threshold 5 (#${n})`,
    evidence: [
      {
        timestamp: new Date(T0 + n * 1000).toISOString(),
        message: `Feb 12 14:10:21 host sshd[12]: Failed password for root from 203.0.113.${n % 256} port 22 ssh2`,
        sourceId: 'file:0',
      },
    ],
    ...over,
  };
}

export function incident(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `inc_${n}`,
    entity: { type: 'ip', value: `203.0.113.${n % 256}` },
    firstSeen: T0 + n * 1000,
    lastSeen: T0 + n * 1000 + 500,
    status: 'open',
    severity: 'high',
    scenarios: ['leuko/ssh-bf'],
    techniques: ['T1110.001'],
    detectionIds: [`det_${n}`],
    explanation: `ssh brute force from 203.0.113.${n % 256}`,
    ...over,
  };
}

export function decision(n: number, over: Partial<Decision> = {}): Decision {
  return {
    id: `dec_${n}`,
    scope: 'ip',
    value: `203.0.113.${n % 256}`,
    action: 'ban',
    durationS: 3600,
    createdAt: T0 + n * 1000,
    expiresAt: T0 + n * 1000 + 3_600_000,
    origin: 'scenario',
    scenario: 'leuko/ssh-bf',
    incidentId: `inc_${n}`,
    reason: 'ssh brute force',
    blastRadius: 'low',
    status: 'applied',
    offence: 1,
    ...over,
  };
}

export function auditInput(n: number, over: Partial<AuditInput> = {}): AuditInput {
  return {
    kind: 'decision',
    action: 'decision.proposed',
    subject: `dec_${n}`,
    actor: 'scenario:leuko/ssh-bf',
    at: T0 + n,
    data: { n, ip: `203.0.113.${n % 256}`, nested: { z: 1, a: [n, 'x'] } },
    ...over,
  };
}
