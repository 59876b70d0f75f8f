import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema } from '../config/schema.js';
import { deepFreeze, resolveConfig } from '../config/resolve.js';
import type { LeukoConfig } from '../config/index.js';
import { createManualClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import { createSequentialIds } from '../core/ids.js';
import type { Incident } from '../core/incident.js';
import { emptySourceStats } from '../core/source.js';
import { openApprovals } from '../enforcement/assemble.js';
import { emptyPipelineStats } from '../pipeline/pipeline-stats.js';
import { openSqliteStore } from '../store/index.js';
import { createApiDeps } from './start.js';
import type { RuntimeView } from './runtime-view.js';
import { buildApiServer } from './server.js';

export const T0 = Date.parse('2026-03-01T12:00:00Z');

/**
 * A real SQLite store in a temp dir with one incident (two evidence lines), a live ban from it,
 * and a pending isolation approval; the server built on it, not listening (tests inject).
 */
export async function apiFixture(raw: Record<string, unknown> = {}, web: string | false = false) {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-api-'));
  const clock = createManualClock(T0);
  const ids = createSequentialIds();
  const parsed = configSchema().parse({ policy: { allowlist: ['192.0.2.0/24'] }, ...raw });
  const config: LeukoConfig = deepFreeze(resolveConfig(parsed, dir));
  const store = openSqliteStore({ dir }, { clock });
  await store.migrate();
  const stats = emptyPipelineStats();
  const sources = { 'file:/var/log/auth.log': emptySourceStats() };
  const runtime: RuntimeView = {
    startedAt: T0,
    stats: () => stats,
    sourceStats: () => sources,
    enforcer: () => undefined,
  };
  const deps = await createApiDeps(
    { config, store, storeDir: dir, clock, ids, hostName: 'web1', log: () => {} },
    runtime,
    web,
  );
  const app = await buildApiServer(deps);

  const detection: Detection = {
    id: 'det_1',
    scenario: 'leuko/ssh-bf',
    time: T0 - 60_000,
    entity: { type: 'ip', value: '198.51.100.7' },
    techniques: ['T1110.001'],
    confidence: 0.9,
    severity: 'high',
    count: 6,
    explanation: '6 failed ssh logins for root in 5 s',
    evidence: [
      {
        timestamp: '2026-03-01T11:59:00Z',
        message: 'Failed password for root from 198.51.100.7 port 5000 ssh2',
        sourceId: 'auth',
      },
      {
        timestamp: '2026-03-01T11:59:05Z',
        message: 'Failed password for root from 198.51.100.7 port 5005 ssh2',
        sourceId: 'auth',
      },
    ],
  };
  const incident: Incident = {
    id: 'inc_1',
    entity: detection.entity,
    firstSeen: detection.time,
    lastSeen: detection.time,
    status: 'contained',
    severity: 'high',
    scenarios: ['leuko/ssh-bf'],
    techniques: ['T1110.001'],
    detectionIds: ['det_1'],
    explanation: 'ssh brute force from 198.51.100.7',
  };
  const ban: Decision = {
    id: 'dec_ban',
    scope: 'ip',
    value: '198.51.100.7',
    action: 'ban',
    durationS: 14400,
    createdAt: T0 - 50_000,
    expiresAt: T0 + 14_400_000,
    origin: 'scenario',
    scenario: 'leuko/ssh-bf',
    incidentId: 'inc_1',
    reason: 'ssh brute force',
    blastRadius: 'low',
    status: 'verified',
    offence: 1,
  };
  const isolation: Decision = {
    ...ban,
    id: 'dec_iso',
    scope: 'host',
    value: 'web1',
    action: 'isolate-host',
    origin: 'cli',
    blastRadius: 'high',
    status: 'proposed',
    reason: 'isolate',
  };
  delete (isolation as { incidentId?: string }).incidentId;
  await store.commit({
    detections: [detection],
    incidents: [incident],
    decisions: [ban, isolation],
    audit: [
      {
        kind: 'detection',
        action: 'detection.raised',
        subject: 'det_1',
        actor: 'scenario:leuko/ssh-bf',
        at: T0,
        data: { scenario: 'leuko/ssh-bf' },
      },
      {
        kind: 'incident',
        action: 'incident.opened',
        subject: 'inc_1',
        actor: 'scenario:leuko/ssh-bf',
        at: T0,
        data: {},
      },
      {
        kind: 'decision',
        action: 'decision.proposed',
        subject: 'dec_ban',
        actor: 'scenario:leuko/ssh-bf',
        at: T0,
        data: {},
      },
    ],
  });
  // Queued the way the daemon's enforcer does it, on its own connection.
  const approvals = openApprovals(dir, clock, ids);
  const approval = approvals.queue.enqueue(isolation, 'high impact: isolate-host waits for a person');
  approvals.db.close();

  const tokens = {
    viewer: (await deps.credentials.create('viewer', 'vera')).secret,
    operator: (await deps.credentials.create('operator', 'otto')).secret,
    admin: (await deps.credentials.create('admin', 'ada')).secret,
    bouncer: (await deps.credentials.create('bouncer', 'fw1')).secret,
  };
  return {
    app,
    deps,
    store,
    clock,
    stats,
    sources,
    tokens,
    approvalId: approval.id,
    async close() {
      await app.close();
      await deps.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ApiFixture = Awaited<ReturnType<typeof apiFixture>>;
