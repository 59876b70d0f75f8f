import type { AuditRecord } from '../core/audit.js';
import type { Decision } from '../core/decision.js';
import type { Store } from '../core/store.js';
import { decisionKey, type FleetBus, subjectFor } from './bus.js';
import { encodeEnvelope, type FleetKeyPair, type FleetKind, signEnvelope } from './envelope.js';
import { isShareable, toShared } from './shared-decision.js';

export const OUTBOX_CURSOR_KEY = 'fleet-outbox-seq';
const PAGE = 500;

/**
 * Publishes what this host decided and detected, read from its own audit log after a cursor
 * committed in the store. The audit log is the outbox: nothing is lost while the bus is away
 * (the cursor only moves after the server acknowledged), and a re-send after a crash carries
 * the same message id, which JetStream de-duplicates and the hive's upserts absorb.
 */
export function createOutbox(deps: {
  store: Store;
  self: string;
  key: FleetKeyPair;
  share: { decisions: boolean; detections: boolean };
  now(): number;
}) {
  let cursor: number | undefined;
  /** Shared decisions of ours, so a later rollback of one can be lifted fleet-wide. */
  const sharedIds = new Map<string, { scope: string; value: string }>();

  async function publish(bus: FleetBus, record: AuditRecord, kind: FleetKind, body: unknown, kvKey?: string) {
    const env = signEnvelope(deps.key, {
      kind,
      agent: deps.self,
      at: deps.now(),
      id: `${deps.self}:${record.seq}`,
      body,
    });
    const bytes = encodeEnvelope(env);
    if (kvKey) await bus.decisions.put(kvKey, bytes);
    await bus.js.publish(subjectFor(deps.self, kind), bytes, { msgID: env.id });
  }

  async function handle(bus: FleetBus, r: AuditRecord): Promise<void> {
    if (r.kind === 'detection' && r.action === 'detection.raised' && deps.share.detections) {
      await publish(bus, r, 'detection', { id: r.subject, host: deps.self, at: r.at, ...(r.data as object) });
      return;
    }
    if (r.kind === 'decision' && r.action === 'decision.proposed' && deps.share.decisions) {
      const d = r.data as Decision;
      if (!d || typeof d !== 'object' || !isShareable(d)) return;
      sharedIds.set(d.id, { scope: d.scope, value: d.value });
      await publish(bus, r, 'decision', toShared(d, deps.self), decisionKey(d.scope, d.value, deps.self));
      return;
    }
    if (r.kind === 'decision' && (r.action === 'decision.rolled_back' || r.action === 'decision.rejected')) {
      // An operator lifted one of our shared bans: the fleet lifts its copies too.
      const shared = sharedIds.get(r.subject) ?? (await sharedTarget(r.subject));
      if (!shared) return;
      await publish(
        bus,
        r,
        'lift',
        { id: r.subject, host: deps.self, reason: r.action },
        decisionKey(shared.scope, shared.value, deps.self),
      );
      return;
    }
    if (r.action.startsWith('heal') || r.action.startsWith('healing.')) {
      await publish(bus, r, 'healing', {
        host: deps.self,
        seq: r.seq,
        action: r.action,
        subject: r.subject,
        data: r.data,
      });
    }
  }

  async function sharedTarget(id: string) {
    const d = await deps.store.getDecision(id);
    return d && isShareable(d) ? { scope: d.scope, value: d.value } : undefined;
  }

  return {
    /** Publish everything after the cursor; returns how many records were looked at. */
    async pump(bus: FleetBus): Promise<number> {
      if (cursor === undefined) cursor = Number((await deps.store.loadState(OUTBOX_CURSOR_KEY)) ?? 0);
      const records = await deps.store.listAudit({ afterSeq: cursor, limit: PAGE });
      if (records.length === 0) return 0;
      let last = cursor;
      try {
        for (const r of records) {
          await handle(bus, r);
          last = r.seq;
        }
      } finally {
        if (last !== cursor) {
          await deps.store.commit({ state: [{ key: OUTBOX_CURSOR_KEY, value: String(last) }] });
          cursor = last;
        }
      }
      return records.length;
    },
  };
}
