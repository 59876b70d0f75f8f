import type { AuditInput } from '../core/audit.js';
import type { Decision } from '../core/decision.js';
import type { Store } from '../core/store.js';
import type { Enforcer } from '../enforcement/enforcer.js';
import { transition } from '../enforcement/transitions.js';
import { type AcceptContext, evaluateFleetDecision } from './accept.js';
import { type Envelope, parseEnvelope } from './envelope.js';
import { fromShared } from './shared-decision.js';
import { checkSigner } from './trust.js';

export const KV_REVISION_KEY = 'fleet-kv-revision';

export interface ReceivedEntry {
  readonly key: string;
  readonly value: Uint8Array;
  readonly operation: 'PUT' | 'DEL' | 'PURGE';
  readonly revision: number;
}

export type ReceiveOutcome = 'accepted' | 'duplicate' | 'refused' | 'waiting' | 'lifted' | 'ignored';

/**
 * Turns shared-decision entries from the bus into local decisions. Every refusal is audited
 * with its reason (a forged signature, a rogue agent, an attempt at 0.0.0.0/0 or at an
 * allowlisted address); accepted ones are committed with their audit record and handed to the
 * enforcer at once, so the ban is in force within the same second. The last revision handled
 * is committed with each result, so a restart resumes the watch where it stopped.
 */
export function createReceiver(deps: {
  store: Store;
  enforcer: Enforcer | undefined;
  context(): AcceptContext;
  now(): number;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}) {
  const revisionState = (revision: number) => [{ key: KV_REVISION_KEY, value: String(revision) }];

  async function refuse(entry: ReceivedEntry, e: Envelope | undefined, reason: string): Promise<ReceiveOutcome> {
    deps.log('warn', `fleet message refused: ${reason}`, { key: entry.key, agent: e?.agent });
    await deps.store.commit({
      state: revisionState(entry.revision),
      audit: [
        {
          kind: 'fleet',
          action: 'fleet.refused',
          subject: e?.id ?? entry.key,
          actor: `fleet:${e?.agent ?? 'unknown'}`,
          at: deps.now(),
          data: { reason, key: entry.key, kind: e?.kind ?? null, body: e?.body ?? null },
        },
      ],
    });
    return 'refused';
  }

  async function accept(entry: ReceivedEntry, e: Envelope, decision: Decision, reporters: readonly string[]) {
    const existing = await deps.store.getDecision(decision.id);
    const live = await deps.store.listDecisions({
      scope: decision.scope,
      value: decision.value,
      activeAt: deps.now(),
      limit: 1,
    });
    if (existing || live.length > 0) {
      await deps.store.commit({ state: revisionState(entry.revision) });
      return 'duplicate' as const;
    }
    await deps.store.commit({
      decisions: [decision],
      state: revisionState(entry.revision),
      audit: [
        {
          kind: 'decision',
          action: 'decision.proposed',
          subject: decision.id,
          actor: `fleet:${e.agent}`,
          at: deps.now(),
          data: { ...decision, fleet: { message: e.id, signer: e.agent, reporters } },
        },
      ],
    });
    await deps.enforcer?.submit([decision]);
    return 'accepted' as const;
  }

  async function lift(entry: ReceivedEntry, e: Envelope): Promise<ReceiveOutcome> {
    const ctx = deps.context();
    const signer = checkSigner(ctx.registry, e);
    if (!signer.ok) return refuse(entry, e, signer.reason);
    const id = (e.body as { id?: unknown } | null)?.id;
    const local = typeof id === 'string' ? await deps.store.getDecision(id) : undefined;
    // Only the fleet copy of a decision this very signer shared can be lifted by it.
    if (local?.origin !== 'fleet' || !local.reason.startsWith(`fleet: ${e.agent} `)) {
      await deps.store.commit({ state: revisionState(entry.revision) });
      return 'ignored';
    }
    const audit: AuditInput[] = [];
    const to = local.status === 'proposed' ? 'rejected' : 'rolled_back';
    const next = transition(
      local,
      to,
      { actor: `fleet:${e.agent}`, reason: `lifted by ${e.agent}`, at: deps.now() },
      audit,
    );
    await deps.store.commit({ ...(next ? { decisions: [next] } : {}), audit, state: revisionState(entry.revision) });
    return next ? 'lifted' : 'ignored';
  }

  return {
    async handle(entry: ReceivedEntry): Promise<ReceiveOutcome> {
      if (entry.operation !== 'PUT') return 'ignored';
      const parsed = parseEnvelope(entry.value);
      if (!parsed.ok) return refuse(entry, undefined, `unreadable message: ${parsed.reason}`);
      const e = parsed.envelope;
      if (e.kind === 'lift') return e.agent === deps.context().self ? 'ignored' : lift(entry, e);
      if (e.kind !== 'decision') return refuse(entry, e, `unexpected ${e.kind} message in the decisions bucket`);
      const ctx = deps.context();
      const verdict = evaluateFleetDecision(e, ctx);
      switch (verdict.verdict) {
        case 'own':
          return 'ignored';
        case 'refuse':
          return refuse(entry, e, verdict.reason);
        case 'wait':
          await deps.store.commit({
            state: revisionState(entry.revision),
            audit: [
              {
                kind: 'fleet',
                action: 'fleet.quorum-pending',
                subject: e.id,
                actor: `fleet:${e.agent}`,
                at: deps.now(),
                data: { reason: verdict.reason, scope: verdict.decision.scope, value: verdict.decision.value },
              },
            ],
          });
          return 'waiting';
        case 'accept':
          return accept(entry, e, fromShared(verdict.decision, e.agent, verdict.reporters, ctx.now), verdict.reporters);
      }
    },
  };
}
