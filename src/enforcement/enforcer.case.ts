import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManualClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { createIdGenerator } from '../core/ids.js';
import type { ActionOutcome, Responder } from '../core/responder.js';
import type { Store } from '../core/store.js';
import { createPolicyEngine } from '../policy/engine.js';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from '../policy/settings.js';
import { openSqliteStore } from '../store/index.js';
import { type ApprovalFeed, createSqliteApprovalFeed } from './approval-feed.js';
import { openApprovals } from './assemble.js';
import { createEnforcer } from './enforcer.js';

/** Test-only helpers (`.case.ts`: excluded from the build). */

export const T0 = Date.UTC(2025, 0, 1);

let n = 0;
export function ban(value: string, over: Partial<Decision> = {}, now = T0): Decision {
  n++;
  return {
    id: `dec_t${n}`,
    scope: 'ip',
    value,
    action: 'ban',
    durationS: 3600,
    createdAt: now,
    expiresAt: now + 3_600_000,
    origin: 'scenario',
    scenario: 'leuko/ssh-bf',
    reason: 'test',
    blastRadius: 'low',
    status: 'proposed',
    offence: 1,
    ...over,
  };
}

/** A ban responder that records what it was asked to do; everything applied is in force. */
export function recordingResponder() {
  const inForce = new Set<string>();
  const calls = { apply: 0, verify: 0, rollback: 0 };
  const responder: Responder = {
    type: 'fake',
    actions: ['ban'],
    plan: (d) => ({
      decisionId: d.id,
      responder: 'fake',
      summary: `ban ${d.value}`,
      steps: [],
      blastRadius: 'low',
      reversible: true,
    }),
    async apply(ds) {
      calls.apply++;
      const out = new Map<string, ActionOutcome>();
      for (const d of ds) {
        inForce.add(d.value);
        out.set(d.id, { kind: 'applied' });
      }
      return out;
    },
    async verify(d) {
      calls.verify++;
      return inForce.has(d.value) ? { inForce: true } : { inForce: false, reason: 'absent' };
    },
    async rollback(ds) {
      calls.rollback++;
      const out = new Map<string, ActionOutcome>();
      for (const d of ds)
        out.set(d.id, inForce.delete(d.value) ? { kind: 'applied' } : { kind: 'skipped', reason: '' });
      return out;
    },
  };
  return { responder, inForce, calls };
}

/** An enforcer on a real SQLite store directory, with a manual clock; `close()` removes it all. */
export async function enforcerRig(policy: Partial<PolicySettings> = {}, opts: { feed?: 'sqlite' | 'queue' } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-enforcer-'));
  const clock = createManualClock(T0);
  const ids = createIdGenerator(clock);
  const store: Store = openSqliteStore({ dir });
  await store.migrate();
  const settings: PolicySettings = { ...DEFAULT_POLICY_SETTINGS, mode: 'contain', ...policy };
  const { queue, db } = openApprovals(dir, clock, ids, settings.approvalExpiryMs);
  const engine = createPolicyEngine(settings, { clock, onEvent: (e) => enforcer.onPolicyEvent(e) });
  const fake = recordingResponder();
  const feed: ApprovalFeed | undefined = opts.feed === 'queue' ? undefined : createSqliteApprovalFeed(db);
  const enforcer = createEnforcer({
    store,
    policy: engine,
    approvals: queue,
    ...(feed ? { feed } : {}),
    responders: [fake.responder],
    clock,
    ids,
    hostName: 'web1',
    log: () => undefined,
  });
  return {
    dir,
    clock,
    store,
    queue,
    db,
    enforcer,
    fake,
    async close() {
      await enforcer.stop();
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
