import { z } from 'zod';

/**
 * The API's shapes, once: handlers validate requests with them, and /openapi.json is
 * generated from them (z.toJSONSchema), so the document cannot drift from what is enforced.
 * Response schemas describe what the store holds (src/core types); they are checked against
 * real responses in src/api/server.test.ts.
 */

const ms = z.number().int().describe('milliseconds since the epoch');
const ENTITY_TYPES = ['ip', 'range', 'user', 'file', 'process', 'service', 'host'] as const;
export const DECISION_STATUSES = [
  'proposed',
  'approved',
  'applied',
  'verified',
  'rejected',
  'rolled_back',
  'expired',
] as const;
export const INCIDENT_STATUSES = ['open', 'contained', 'healed', 'closed', 'dismissed'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem details (application/problem+json)' });

export const Entity = z.object({ type: z.enum(ENTITY_TYPES), value: z.string() });

export const Decision = z.object({
  id: z.string(),
  scope: z.enum(ENTITY_TYPES),
  value: z.string(),
  action: z.string(),
  durationS: z.number(),
  createdAt: ms,
  expiresAt: ms,
  origin: z.enum(['scenario', 'cli', 'api', 'fleet', 'intel', 'healing']),
  scenario: z.string().optional(),
  incidentId: z.string().optional(),
  reason: z.string(),
  blastRadius: z.enum(['low', 'medium', 'high']),
  status: z.enum(DECISION_STATUSES),
  offence: z.number().int(),
  policy: z
    .object({
      verdict: z.enum(['approve', 'queue', 'reject', 'observe', 'dry-run']),
      rule: z.string(),
      reason: z.string(),
      at: ms,
      approvalId: z.string().optional(),
    })
    .optional(),
  statusReason: z.string().optional(),
  updatedAt: ms.optional(),
});

export const Evidence = z.object({ timestamp: z.string(), message: z.string(), sourceId: z.string() });

export const Detection = z.object({
  id: z.string(),
  scenario: z.string(),
  time: ms,
  entity: Entity,
  techniques: z.array(z.string()),
  confidence: z.number(),
  severity: z.enum(SEVERITIES),
  count: z.number(),
  explanation: z.string(),
  evidence: z.array(Evidence),
  remediation: z
    .object({ action: z.enum(['ban', 'captcha', 'notify']), durationS: z.number(), scope: z.enum(['ip', 'range']) })
    .optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const Incident = z.object({
  id: z.string(),
  entity: Entity,
  firstSeen: ms,
  lastSeen: ms,
  status: z.enum(INCIDENT_STATUSES),
  severity: z.enum(SEVERITIES),
  scenarios: z.array(z.string()),
  techniques: z.array(z.string()),
  detectionIds: z.array(z.string()),
  explanation: z.string(),
});

export const AuditRecord = z.object({
  seq: z.number().int(),
  at: ms,
  kind: z.string(),
  action: z.string(),
  subject: z.string(),
  actor: z.string(),
  data: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const Feedback = z.object({
  id: z.string(),
  incidentId: z.string(),
  verdict: z.enum(['false_positive', 'true_positive']),
  actor: z.string(),
  note: z.string().nullable(),
  at: ms,
});

export const Approval = z.object({
  id: z.string(),
  decisionId: z.string(),
  decision: Decision,
  reason: z.string(),
  createdAt: ms,
  expiresAt: ms,
  status: z.enum(['pending', 'approved', 'rejected', 'expired']),
  decidedBy: z.string().optional(),
  decidedAt: ms.optional(),
  note: z.string().optional(),
});

export const Credential = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['viewer', 'operator', 'admin', 'bouncer']),
  createdAt: ms,
  lastUsedAt: ms.nullable(),
  revokedAt: ms.nullable(),
});

const Counters = z.record(z.string(), z.number());

export const Status = z.object({
  version: z.string(),
  mode: z.string(),
  host: z.string(),
  startedAt: ms,
  now: ms,
  counters: Counters,
  sources: z.record(z.string(), Counters),
  activeDecisions: z.number().int(),
  openIncidents: z.number().int(),
  pendingApprovals: z.number().int(),
  lagSeconds: z.number().nullable(),
  enforcer: z
    .object({
      breaker: z.object({ state: z.string(), reason: z.string().optional() }).loose(),
      drift: z.object({ lastPass: z.number(), total: z.number(), lastReconcileAt: z.number().nullable() }),
      enforced: z.number(),
      applyFailures: z.number(),
      unhandledActions: z.array(z.string()),
    })
    .nullable(),
  healthChecks: z.array(
    z.object({ name: z.string(), detail: z.string(), ok: z.boolean().nullable(), checkedAt: ms.nullable() }),
  ),
});

export const SeriesPoint = z.object({
  t: ms,
  eventsPerS: z.number(),
  linesPerS: z.number(),
  detections: z.number(),
  decisions: z.number(),
});

// ---- requests ----

const limit = (max: number, def: number) => z.coerce.number().int().min(1).max(max).default(def);
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`), `comma-separated, of: ${values.join(', ')}`)
    .describe(`comma-separated list of ${values.join(', ')}`)
    .optional();

export const IdParams = z.object({ id: z.string().min(1).max(128) });

export const IncidentListQuery = z.strictObject({
  status: csv(INCIDENT_STATUSES),
  entity: z.string().max(256).optional().describe('entity value, e.g. an address'),
  scenario: z.string().max(256).optional(),
  severity: z.enum(SEVERITIES).optional(),
  limit: limit(1000, 200),
});

export const FeedbackBody = z.strictObject({
  verdict: z.enum(['false_positive', 'true_positive']),
  note: z.string().max(2000).optional(),
  lift_decisions: z
    .boolean()
    .default(true)
    .describe('on a false positive, lift the live decisions this incident caused (default true)'),
});

export const DecisionListQuery = z.strictObject({
  active: z.enum(['true', 'false']).default('true').describe('only decisions in force now (default)'),
  status: csv(DECISION_STATUSES),
  value: z.string().max(256).optional(),
  q: z.string().max(256).optional().describe('substring of value, reason or scenario'),
  limit: limit(5000, 500),
});

export const DecisionAddBody = z
  .strictObject({
    action: z.enum(['ban', 'isolate-host']).default('ban'),
    ip: z.string().max(64).optional(),
    range: z.string().max(64).optional(),
    host: z.string().max(253).optional(),
    duration: z
      .string()
      .regex(/^\d+(\.\d+)?[smhdw]?$|^(\d+[smhdw])+$/, 'a duration such as 30m, 4h, 2d')
      .default('4h'),
    reason: z.string().min(1).max(500).default('added by an operator'),
  })
  .describe('exactly one of ip, range (ban) or host (isolate-host)');

export const DecisionDeleteQuery = z.strictObject({
  ip: z.string().min(1).max(64).describe('lift every live decision for this address or range'),
});

export const ApprovalListQuery = z.strictObject({
  status: csv(['pending', 'approved', 'rejected', 'expired'] as const),
  limit: limit(5000, 500),
});

export const RejectBody = z.strictObject({ reason: z.string().max(500).optional() });

export const AuditQuery = z.strictObject({
  kind: z.string().max(64).optional(),
  subject: z.string().max(256).optional(),
  after: z.coerce.number().int().min(0).optional().describe('only records after this sequence number'),
  limit: limit(5000, 500),
});

export const EventSearchQuery = z.strictObject({
  q: z.string().max(256).optional().describe('text in an evidence line, scenario or entity'),
  scenario: z.string().max(256).optional(),
  entity: z.string().max(256).optional(),
  since: z.coerce.number().int().min(0).optional().describe('event time (ms) lower bound'),
  limit: limit(1000, 100),
});

export const LapiStreamQuery = z.object({
  startup: z.enum(['true', 'false']).default('false'),
  scopes: z.string().max(256).optional(),
  origins: z.string().max(1024).optional(),
  scenarios_containing: z.string().max(1024).optional(),
  scenarios_not_containing: z.string().max(1024).optional(),
});

export const LapiDecisionsQuery = z.object({
  ip: z.string().max(64).optional(),
  range: z.string().max(64).optional(),
  scope: z.string().max(32).optional(),
  value: z.string().max(256).optional(),
  type: z.string().max(32).optional(),
  origins: z.string().max(1024).optional(),
  scenarios_containing: z.string().max(1024).optional(),
  scenarios_not_containing: z.string().max(1024).optional(),
});

export const LapiDecision = z.object({
  id: z.number().int(),
  origin: z.string(),
  type: z.string(),
  scope: z.string(),
  value: z.string(),
  duration: z.string().describe('Go duration, e.g. 3h59m12s'),
  until: z.string(),
  scenario: z.string(),
  simulated: z.boolean(),
  uuid: z.string(),
});
