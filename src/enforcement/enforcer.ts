import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { IdGenerator } from '../core/ids.js';
import type { Incident } from '../core/incident.js';
import type { Responder, ResponderContext } from '../core/responder.js';
import type { Store } from '../core/store.js';
import type { ApprovalQueue } from '../policy/approvals.js';
import type { BreakerEvent } from '../policy/breaker.js';
import type { PolicyEngine, PolicyStatus } from '../policy/engine.js';
import { checkAfterAction, runHealthChecks } from '../policy/health.js';
import type { HealthCheck } from '../policy/settings.js';
import { type ApprovalFeed, createQueueApprovalFeed } from './approval-feed.js';
import { ENFORCED_STATUSES, transition } from './transitions.js';

export interface EnforcerStatus {
  readonly policy: PolicyStatus;
  readonly pendingApprovals: number;
  readonly enforced: number;
  readonly drift: { readonly lastPass: number; readonly total: number; readonly lastReconcileAt: number | null };
  readonly applyFailures: number;
  readonly unhandledActions: readonly string[];
}

export interface Enforcer {
  /** Prepare responders and bring the world in line with the stored decisions. */
  start(): Promise<void>;
  /** Decisions just committed as `proposed`: evaluate them and act at once. */
  submit(decisions: readonly Decision[]): Promise<void>;
  /** Periodic pass: answered and expired approvals, expiry, retries, reconcile when due. */
  tick(): Promise<void>;
  status(): EnforcerStatus;
  stop(): Promise<void>;
}

export const ENFORCER_STATUS_KEY = 'enforcer-status';
export const POLICY_STATE_KEY = 'policy-state';

/**
 * Moves decisions through their lifecycle — proposed → approved → applied → verified, or →
 * rejected / rolled back / expired — writing every step to the store with its audit record.
 *
 * Level-triggered by design: the store holds what should be true, and every pass (start-up,
 * each tick, each reconcile period) drives the world toward it. A kill -9 at any point leaves
 * at worst a decision whose status lags the world by one step; the next pass catches up, and
 * the firewall's own batch transactions mean no rule is ever half applied.
 */
export function createEnforcer(deps: {
  store: Store;
  policy: PolicyEngine;
  approvals: ApprovalQueue;
  /**
   * Cheap questions about the queue (pending count, answered approvals); default: asked through
   * `approvals` and `store`, which reads whole lists — give the SQLite feed in production.
   */
  feed?: ApprovalFeed;
  responders: readonly Responder[];
  clock: Clock;
  ids: IdGenerator;
  hostName: string;
  healthChecks?: readonly HealthCheck[];
  reconcileEveryMs?: number;
  timeoutMs?: number;
  /** Verifications in flight at once (default 64); the firewall shares one listing among them. */
  verifyConcurrency?: number;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}): Enforcer & { onPolicyEvent(event: BreakerEvent): void } {
  const enforced = new Map<string, Decision>();
  const attempts = new Map<string, number>();
  const policyEvents: BreakerEvent[] = [];
  const unhandled = new Set<string>();
  // A decision can reach evaluate twice (the processor's hand-off and the tick's store scan
  // race); the policy must see it once, or the budget and the approval queue count it twice.
  // Also remembers proposed decisions another process already evaluated (they wait in the
  // approval queue), so the tick's scan for new ones reads only ids, never their JSON again.
  const evaluated = new Set<string>();
  const remember = (id: string) => {
    evaluated.add(id);
    if (evaluated.size > 200_000) evaluated.delete(evaluated.values().next().value as string);
  };
  const controller = new AbortController();
  const reconcileEveryMs = deps.reconcileEveryMs ?? 5000;
  let nextReconcile = 0;
  let driftTotal = 0;
  let driftLast = 0;
  let lastReconcileAt: number | null = null;
  let applyFailures = 0;
  // Approvals answered before this time were seen by an earlier pass (see answerApprovals).
  let answeredSince = 0;
  // Where the tick's scan for decisions stored by others (the CLI) resumes; see ApprovalFeed.
  let scanCursor = 0;
  const feed = deps.feed ?? createQueueApprovalFeed(deps.approvals, deps.store);
  const verifyConcurrency = Math.max(1, deps.verifyConcurrency ?? 64);
  const ctx: ResponderContext = {
    signal: controller.signal,
    clock: deps.clock,
    timeoutMs: deps.timeoutMs ?? 10_000,
    log: deps.log,
  };

  const responderFor = (d: Decision) => deps.responders.find((r) => r.actions.includes(d.action));
  const now = () => deps.clock.now();

  async function save(decisions: readonly Decision[], audit: AuditInput[], incidents: Incident[] = []): Promise<void> {
    if (decisions.length === 0 && audit.length === 0 && incidents.length === 0) return;
    await deps.store.commit({ decisions, audit, incidents });
    for (const d of decisions) {
      if (ENFORCED_STATUSES.includes(d.status)) enforced.set(d.id, d);
      else enforced.delete(d.id);
    }
  }

  /** The policy's verdict on fresh decisions; approved ones are returned for applying. */
  function evaluate(fresh: readonly Decision[], out: Decision[], audit: AuditInput[]): Decision[] {
    const approved: Decision[] = [];
    for (const d of fresh) {
      if (d.status !== 'proposed' || d.policy || evaluated.has(d.id)) continue;
      remember(d.id);
      // A person asked for it (CLI, API): not autonomous, so mode and budget do not apply —
      // the allowlist still does.
      const v = deps.policy.evaluate(d, d.origin === 'cli' || d.origin === 'api' ? { operator: d.origin } : undefined);
      const at = now();
      const note = { verdict: v.kind, rule: v.rule, reason: v.reason, at };
      if (v.kind === 'approve') {
        const next = transition(
          { ...d, policy: note },
          'approved',
          { actor: `policy:${v.rule}`, reason: v.reason, at },
          audit,
        );
        if (next) {
          out.push(next);
          approved.push(next);
        }
      } else if (v.kind === 'reject') {
        const next = transition(
          { ...d, policy: note },
          'rejected',
          { actor: `policy:${v.rule}`, reason: v.reason, at },
          audit,
        );
        if (next) out.push(next);
      } else if (v.kind === 'queue') {
        const approval = deps.approvals.enqueue(d, v.reason, v.expiresAt);
        out.push({ ...d, policy: { ...note, approvalId: approval.id } });
        audit.push({
          kind: 'decision',
          action: 'decision.queued',
          subject: d.id,
          actor: `policy:${v.rule}`,
          at,
          data: { approval: approval.id, reason: v.reason, expiresAt: approval.expiresAt, blastRadius: v.blastRadius },
        });
      } else {
        // observe / dry-run: recorded with what would have happened; nothing is applied.
        const responder = responderFor(d);
        out.push({ ...d, policy: note });
        audit.push({
          kind: 'decision',
          action: `decision.${v.kind}`,
          subject: d.id,
          actor: `policy:${v.rule}`,
          at,
          data: { reason: v.reason, wouldBe: v.wouldBe, plan: responder ? responder.plan(d) : null },
        });
      }
    }
    return approved;
  }

  async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ctx.timeoutMs} ms`)), ctx.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Apply approved decisions in one batch per responder, then verify each. */
  async function apply(batch: readonly Decision[]): Promise<void> {
    const groups = new Map<Responder, Decision[]>();
    for (const d of batch) {
      const r = responderFor(d);
      if (!r) {
        if (!unhandled.has(d.action))
          deps.log('warn', `no responder carries out "${d.action}"; decision stays approved`);
        unhandled.add(d.action);
        enforced.set(d.id, d);
        continue;
      }
      const list = groups.get(r) ?? [];
      list.push(d);
      groups.set(r, list);
    }
    for (const [responder, list] of groups) {
      const live = list.filter((d) => d.expiresAt > now());
      const before = deps.healthChecks?.length ? await runHealthChecks(deps.healthChecks, { now }) : undefined;
      const out: Decision[] = [];
      const audit: AuditInput[] = [];
      let outcomes: ReadonlyMap<string, import('../core/responder.js').ActionOutcome>;
      try {
        outcomes = await withTimeout(responder.apply(live, ctx), `${responder.type} apply`);
      } catch (err) {
        applyFailures++;
        deps.log('error', `${responder.type}: apply failed; will retry`, { error: String(err) });
        for (const d of live) enforced.set(d.id, d);
        continue;
      }
      for (const d of live) {
        const o = outcomes.get(d.id);
        const at = now();
        const plan = responder.plan(d);
        if (o?.kind === 'applied') {
          const next = transition(
            d,
            'applied',
            { actor: `responder:${responder.type}`, reason: plan.summary, at, data: { plan } },
            audit,
          );
          if (next) out.push(next);
        } else if (o?.kind === 'skipped') {
          const next = transition(
            d,
            'rejected',
            { actor: `responder:${responder.type}`, reason: `not applied: ${o.reason}`, at },
            audit,
          );
          if (next) out.push(next);
        } else {
          applyFailures++;
          const n = (attempts.get(d.id) ?? 0) + 1;
          attempts.set(d.id, n);
          const error = o?.kind === 'failed' ? o.error : 'no outcome from responder';
          if (o?.kind === 'failed' && !o.retryable) {
            const next = transition(
              d,
              'rejected',
              { actor: `responder:${responder.type}`, reason: `apply failed: ${error}`, at },
              audit,
            );
            if (next) out.push(next);
          } else {
            deps.log('warn', `${responder.type}: ${d.action} ${d.value} failed (attempt ${n}); will retry`, { error });
            enforced.set(d.id, d);
          }
        }
      }
      await save(out, audit);
      if (before) await checkHealth(responder, out, before);
      await verify(
        responder,
        out.filter((d) => d.status === 'applied'),
      );
    }
  }

  async function checkHealth(
    responder: Responder,
    applied: readonly Decision[],
    before: import('../policy/health.js').HealthSnapshot,
  ) {
    const after = await runHealthChecks(deps.healthChecks ?? [], { now });
    const out: Decision[] = [];
    const audit: AuditInput[] = [];
    for (const d of applied) {
      const v = checkAfterAction(before, after, { decisionId: d.id, ...(d.scenario ? { scenario: d.scenario } : {}) });
      if (v.kind !== 'rollback') continue;
      await withTimeout(responder.rollback([d], ctx), `${responder.type} rollback`);
      const next = transition(d, 'rolled_back', { actor: 'policy:health', reason: v.reason, at: now() }, audit);
      if (next) out.push(next);
      audit.push({
        kind: 'decision',
        action: 'scenario.review',
        subject: d.scenario ?? d.id,
        actor: 'policy:health',
        at: now(),
        data: { decision: d.id, reason: v.reason, worsened: v.worsened },
      });
    }
    await save(out, audit);
  }

  async function verify(responder: Responder, applied: readonly Decision[]): Promise<void> {
    const out: Decision[] = [];
    const audit: AuditInput[] = [];
    // Several verifications in flight: the nftables responder answers concurrent ones from one
    // listing, so verifying n bans costs n/concurrency listings, not n (each O(table size)).
    const results = new Array<Awaited<ReturnType<Responder['verify']>>>(applied.length);
    let next = 0;
    const worker = async () => {
      while (next < applied.length) {
        const i = next++;
        const d = applied[i] as Decision;
        results[i] = await withTimeout(responder.verify(d, ctx), `${responder.type} verify`).catch((err: unknown) => ({
          inForce: false as const,
          reason: String(err),
        }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(verifyConcurrency, applied.length) }, worker));
    for (const [i, d] of applied.entries()) {
      const v = results[i] as Awaited<ReturnType<Responder['verify']>>;
      if (v.inForce) {
        const next = transition(
          d,
          'verified',
          { actor: `responder:${responder.type}`, reason: v.detail ?? 'in force', at: now() },
          audit,
        );
        if (next) out.push(next);
      } else {
        deps.log('warn', `${responder.type}: ${d.action} ${d.value} not in force after apply: ${v.reason}`);
      }
    }
    await save(out, audit);
  }

  async function breakerIncidents(): Promise<void> {
    if (policyEvents.length === 0) return;
    const events = policyEvents.splice(0);
    const audit: AuditInput[] = [];
    const incidents: Incident[] = [];
    for (const e of events) {
      audit.push({ kind: 'decision', action: e.kind, subject: 'policy:breaker', actor: 'policy', at: now(), data: e });
      if (e.kind !== 'breaker.tripped') continue;
      incidents.push({
        id: deps.ids.next('inc'),
        entity: { type: 'host', value: deps.hostName },
        firstSeen: now(),
        lastSeen: now(),
        status: 'open',
        severity: 'high',
        scenarios: ['leuko/policy-breaker'],
        techniques: [],
        detectionIds: [],
        explanation: `Autonomous response paused: ${e.reason} (${e.ratePerMinute} decisions in the last minute; budget ${e.maxPerMinute}/min, learned normal ${e.normalPerMinute.toFixed(1)}/min). Further decisions wait for approval (leuko approvals) until the breaker resets.`,
      });
    }
    await save([], audit, incidents);
  }

  async function answerApprovals(): Promise<void> {
    const out: Decision[] = [];
    const audit: AuditInput[] = [];
    const toApply: Decision[] = [];
    for (const a of deps.approvals.expire(now())) {
      const d = await deps.store.getDecision(a.decisionId);
      const next =
        d &&
        transition(
          d,
          'rejected',
          { actor: 'policy:approval', reason: 'approval expired unanswered', at: now() },
          audit,
        );
      if (next) out.push(next);
    }
    // Only approvals still open at the previous pass can have been answered since (an answer
    // must come before the expiry); a minute of slack covers a CLI that took its time to commit.
    const passStart = now();
    const answered = await feed.answered(answeredSince, 1000);
    // A full page means more are waiting: keep the bound until they are all carried out.
    if (answered.length < 1000) answeredSince = passStart - 60_000;
    for (const a of answered) {
      const d = a.decision;
      if (d.status !== 'proposed') continue;
      const who = a.decidedBy ?? 'operator';
      if (a.status === 'approved') {
        const next = transition(d, 'approved', { actor: who, reason: `approved by ${who}`, at: now() }, audit);
        if (next) {
          out.push(next);
          toApply.push(next);
        }
      } else {
        const next = transition(
          d,
          'rejected',
          { actor: who, reason: `rejected by ${who}${a.note ? `: ${a.note}` : ''}`, at: now() },
          audit,
        );
        if (next) out.push(next);
      }
    }
    await save(out, audit);
    if (toApply.length > 0) await apply(toApply);
  }

  async function expireDue(): Promise<void> {
    const due = [...enforced.values()].filter((d) => d.expiresAt <= now());
    if (due.length === 0) return;
    const out: Decision[] = [];
    const audit: AuditInput[] = [];
    // One rollback per responder for everything due: bans from one flood expire together, and
    // a call per decision would list and rewrite the firewall table once per ban.
    const groups = new Map<Responder, Decision[]>();
    for (const d of due) {
      const responder = responderFor(d);
      if (!responder || d.status === 'approved') continue;
      const list = groups.get(responder) ?? [];
      list.push(d);
      groups.set(responder, list);
    }
    for (const [responder, list] of groups) {
      // Firewall elements carry their own timeout; the rollback is idempotent cleanup.
      await withTimeout(responder.rollback(list, ctx), `${responder.type} rollback`).catch(() => undefined);
    }
    for (const d of due) {
      const next = transition(d, 'expired', { actor: 'leuko', reason: 'TTL ended', at: now() }, audit);
      if (next) out.push(next);
    }
    await save(out, audit);
  }

  async function reconcile(): Promise<void> {
    // The store is the truth: the CLI (another process) may have added, deleted or answered.
    enforced.clear();
    for (const d of await deps.store.listDecisions({ status: ENFORCED_STATUSES, limit: 1_000_000 }))
      enforced.set(d.id, d);
    const t = now();
    const live = [...enforced.values()].filter((d) => d.expiresAt > t);
    let drift = 0;
    const audit: AuditInput[] = [];
    for (const r of deps.responders) {
      if (!r.reconcile) continue;
      const mine = live.filter((d) => r.actions.includes(d.action));
      try {
        const report = await withTimeout(r.reconcile(mine, ctx), `${r.type} reconcile`);
        drift += report.drift;
        if (report.drift > 0) {
          audit.push({
            kind: 'action',
            action: 'enforcement.drift',
            subject: r.type,
            actor: 'leuko',
            at: t,
            data: report,
          });
          deps.log('warn', `${r.type}: drift repaired (${report.added} re-added, ${report.removed} removed)`);
        }
      } catch (err) {
        deps.log('error', `${r.type}: reconcile failed`, { error: String(err) });
      }
    }
    driftLast = drift;
    driftTotal += drift;
    lastReconcileAt = t;
    nextReconcile = t + reconcileEveryMs;
    // Decisions approved earlier but never applied (crash in between) are now applied by the
    // responders' reconcile; mark them applied and verify them.
    const pending = live.filter((d) => d.status === 'approved' && responderFor(d));
    if (pending.length > 0) await apply(pending);
    await save([], audit);
  }

  async function persistStatus(): Promise<void> {
    await deps.store.commit({
      state: [
        { key: ENFORCER_STATUS_KEY, value: JSON.stringify(status()) },
        { key: POLICY_STATE_KEY, value: JSON.stringify(deps.policy.snapshot()) },
      ],
    });
  }

  function status(): EnforcerStatus {
    return {
      policy: deps.policy.status(),
      pendingApprovals: feed.pendingCount(now()),
      enforced: enforced.size,
      drift: { lastPass: driftLast, total: driftTotal, lastReconcileAt },
      applyFailures,
      unhandledActions: [...unhandled],
    };
  }

  return {
    onPolicyEvent(event) {
      policyEvents.push(event);
    },
    async start() {
      for (const r of deps.responders) await r.start?.(ctx);
      for (const d of await deps.store.listDecisions({ status: ENFORCED_STATUSES, limit: 1_000_000 }))
        enforced.set(d.id, d);
      // Decisions committed just before a crash, never evaluated.
      const proposed = await deps.store.listDecisions({ status: ['proposed'], activeAt: now(), limit: 200_000 });
      for (const d of proposed) if (d.policy) remember(d.id);
      await this.submit(proposed.filter((d) => !d.policy));
      await expireDue();
      await reconcile();
      await persistStatus();
    },
    async submit(decisions) {
      if (decisions.length === 0) return;
      const out: Decision[] = [];
      const audit: AuditInput[] = [];
      // One transaction for the whole batch's approvals: 10 000 held decisions are one write,
      // not 10 000. If it or the save fails, the decisions are evaluated again on a later pass.
      let approved: Decision[];
      try {
        approved = feed.atomically(() => evaluate(decisions, out, audit));
        await save(out, audit);
      } catch (err) {
        for (const d of decisions) evaluated.delete(d.id);
        // Scan the store from the start on the next tick: these are still proposed there.
        scanCursor = 0;
        throw err;
      }
      await breakerIncidents();
      if (approved.length > 0) await apply(approved);
    },
    async tick() {
      deps.policy.tick();
      // Decisions added by an operator through the CLI land in the store as proposed. Diff ids
      // against those already seen: with 10 000 held by the breaker, re-reading them each
      // second would cost more than everything else the tick does.
      const page = await feed.newProposed(scanCursor, now(), 10_000);
      const fresh: Decision[] = [];
      for (const id of page.ids) {
        if (evaluated.has(id)) continue;
        const d = await deps.store.getDecision(id);
        if (!d) continue;
        if (d.policy) remember(id);
        else fresh.push(d);
      }
      if (fresh.length > 0) await this.submit(fresh);
      scanCursor = page.cursor;
      await breakerIncidents();
      await answerApprovals();
      await expireDue();
      const retry = [...enforced.values()].filter((d) => d.status === 'approved' && (attempts.get(d.id) ?? 0) > 0);
      if (retry.length > 0) await apply(retry);
      if (now() >= nextReconcile) await reconcile();
      await persistStatus();
    },
    status,
    async stop() {
      controller.abort();
      for (const r of deps.responders) await r.stop?.();
    },
  };
}
