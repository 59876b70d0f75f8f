import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { AuditInput } from '../core/audit.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { Store } from '../core/store.js';
import { transition } from '../enforcement/transitions.js';
import { FLEET_STREAM, type FleetBus, type FleetConfig } from './bus.js';
import { createFleetCorrelator } from './correlate.js';
import { type Envelope, parseEnvelope, publicKeyFromText } from './envelope.js';
import { readShared } from './shared-decision.js';
import { syncRegistry } from './registry-sync.js';
import { checkSigner, registryFromConfig, type TrustRegistry } from './trust.js';

export const HIVE_CONSUMER = 'leuko-hive';
export const CORRELATION_STATE_KEY = 'hive-correlation';

export type HiveOutcome = 'stored' | 'duplicate' | 'refused' | 'ignored';

/**
 * The hive's handling of one message from the fleet stream: verify who signed it, then store
 * it in the hive store (PostgreSQL) exactly once and correlate it across hosts. Idempotent by
 * construction: ids come from the agents and rows are upserted, so a message redelivered after
 * the hive was killed before its ack changes nothing.
 */
export function createHiveProcessor(deps: { store: Store; registry: TrustRegistry; windowMs: number; now(): number }) {
  const correlator = createFleetCorrelator({ windowMs: deps.windowMs });
  let restored = false;

  async function ensureRestored() {
    if (restored) return;
    restored = true;
    const saved = await deps.store.loadState(CORRELATION_STATE_KEY);
    if (saved) {
      try {
        correlator.restore(saved);
      } catch {
        // A corrupt snapshot only loses correlation history, never a detection.
      }
    }
  }

  async function refuse(e: Envelope | undefined, subject: string, reason: string): Promise<HiveOutcome> {
    const id = e?.id ?? subject;
    const seen = await deps.store.listAudit({ subject: id, kind: 'fleet', limit: 1 });
    if (seen.length > 0) return 'duplicate';
    await deps.store.commit({
      audit: [
        {
          kind: 'fleet',
          action: 'fleet.refused',
          subject: id,
          actor: `fleet:${e?.agent ?? 'unknown'}`,
          at: deps.now(),
          data: { reason, subject, kind: e?.kind ?? null },
        },
      ],
    });
    return 'refused';
  }

  async function detection(e: Envelope): Promise<HiveOutcome> {
    const b = e.body as Partial<Detection> & { host?: string; id?: string; at?: number };
    if (typeof b?.id !== 'string' || !b.entity || typeof b.scenario !== 'string') {
      return refuse(e, e.id, 'malformed detection');
    }
    if ((await deps.store.getDetections([b.id])).length > 0) return 'duplicate';
    const d: Detection = {
      id: b.id,
      scenario: b.scenario,
      time: typeof b.time === 'number' ? b.time : typeof b.at === 'number' ? b.at : e.at,
      entity: b.entity,
      techniques: Array.isArray(b.techniques) ? b.techniques : [],
      confidence: typeof b.confidence === 'number' ? b.confidence : 0.5,
      severity: b.severity ?? 'medium',
      count: typeof b.count === 'number' ? b.count : 1,
      explanation: typeof b.explanation === 'string' ? b.explanation : '',
      evidence: Array.isArray(b.evidence) ? b.evidence : [],
      labels: { ...(b.labels ?? {}), host: e.agent },
    };
    const incidents = correlator.add({ host: e.agent, detection: d });
    const audit: AuditInput[] = [
      {
        kind: 'detection',
        action: 'fleet.detection',
        subject: d.id,
        actor: `fleet:${e.agent}`,
        at: deps.now(),
        data: { host: e.agent, scenario: d.scenario, entity: d.entity, message: e.id },
      },
      ...incidents.map(
        (i): AuditInput => ({
          kind: 'incident',
          action: 'fleet.incident',
          subject: i.id,
          actor: 'hive',
          at: deps.now(),
          data: { entity: i.entity, explanation: i.explanation },
        }),
      ),
    ];
    await deps.store.commit({
      detections: [d],
      incidents,
      audit,
      state: [{ key: CORRELATION_STATE_KEY, value: correlator.snapshot() }],
    });
    return 'stored';
  }

  async function decision(e: Envelope): Promise<HiveOutcome> {
    const s = readShared(e.body);
    if (!s) return refuse(e, e.id, 'malformed decision');
    if (await deps.store.getDecision(s.id)) return 'duplicate';
    const d: Decision = {
      id: s.id,
      scope: s.scope,
      value: s.value,
      action: s.action,
      durationS: s.durationS,
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      origin: 'fleet',
      ...(s.scenario === undefined ? {} : { scenario: s.scenario }),
      reason: `${s.host}: ${s.reason}`,
      blastRadius: s.scope === 'range' ? 'medium' : 'low',
      status: 'proposed',
      statusReason: `decided by ${e.agent}; enforced by the agents`,
      offence: 1,
    };
    await deps.store.commit({
      decisions: [d],
      audit: [
        {
          kind: 'decision',
          action: 'fleet.decision',
          subject: d.id,
          actor: `fleet:${e.agent}`,
          at: deps.now(),
          data: d,
        },
      ],
    });
    return 'stored';
  }

  async function lift(e: Envelope): Promise<HiveOutcome> {
    const id = (e.body as { id?: unknown } | null)?.id;
    const d = typeof id === 'string' ? await deps.store.getDecision(id) : undefined;
    if (!d?.reason.startsWith(`${e.agent}: `)) return 'ignored';
    const audit: AuditInput[] = [];
    const next = transition(
      d,
      'rejected',
      { actor: `fleet:${e.agent}`, reason: `lifted by ${e.agent}`, at: deps.now() },
      audit,
    );
    if (!next) return 'duplicate';
    await deps.store.commit({ decisions: [next], audit });
    return 'stored';
  }

  async function healing(e: Envelope): Promise<HiveOutcome> {
    const seen = await deps.store.listAudit({ subject: e.id, limit: 1 });
    if (seen.length > 0) return 'duplicate';
    await deps.store.commit({
      audit: [
        {
          kind: 'action',
          action: 'fleet.healing',
          subject: e.id,
          actor: `fleet:${e.agent}`,
          at: deps.now(),
          data: e.body,
        },
      ],
    });
    return 'stored';
  }

  return {
    async handle(subject: string, data: Uint8Array): Promise<HiveOutcome> {
      await ensureRestored();
      const parsed = parseEnvelope(data);
      if (!parsed.ok) return refuse(undefined, subject, `unreadable message: ${parsed.reason}`);
      const e = parsed.envelope;
      const signer = checkSigner(deps.registry, e);
      if (!signer.ok) return refuse(e, subject, signer.reason);
      // The subject names the host; a signed message claiming another host's subject is a lie.
      if (subject.split('.')[2] !== e.agent) return refuse(e, subject, `${e.agent} published on ${subject}`);
      switch (e.kind) {
        case 'detection':
          return detection(e);
        case 'decision':
          return decision(e);
        case 'lift':
          return lift(e);
        case 'healing':
          return healing(e);
        default:
          return 'ignored';
      }
    },
  };
}

/**
 * Run the hive: a durable consumer on the fleet stream (explicit acks after the store commit,
 * so a kill -9 redelivers what was not stored), plus the registry watch. Returns a stop function.
 */
export async function runHive(deps: {
  bus: FleetBus;
  store: Store;
  config: FleetConfig;
  /** Whom to trust; kept in step with the signed registry here (the API's fleet view reads it too). */
  registry?: TrustRegistry;
  now(): number;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
  onOutcome?(outcome: HiveOutcome, subject: string): void;
}): Promise<() => Promise<void>> {
  const registry = deps.registry ?? registryFromConfig(deps.config);
  const hiveKey = deps.config.hive_public_key ? publicKeyFromText(deps.config.hive_public_key) : undefined;
  const jsm = await deps.bus.js.jetstreamManager();
  try {
    await jsm.consumers.info(FLEET_STREAM, HIVE_CONSUMER);
  } catch {
    await jsm.consumers.add(FLEET_STREAM, {
      durable_name: HIVE_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // A message the hive took but did not ack (killed mid-way) comes back after this.
      ack_wait: 5_000_000_000,
      max_ack_pending: 1000,
    });
  }
  const processor = createHiveProcessor({
    store: deps.store,
    registry,
    windowMs: (deps.config.hive?.correlation_window ?? 3600) * 1000,
    now: deps.now,
  });

  // Trust first: the registry is read completely before the first message is judged.
  const agents = await syncRegistry(deps.bus.agents, registry, hiveKey, deps.log);

  const consumer = await deps.bus.js.consumers.get(FLEET_STREAM, HIVE_CONSUMER);
  const messages = await consumer.consume({ max_messages: 256 });
  const done = (async () => {
    for await (const m of messages as AsyncIterable<JsMsg>) {
      try {
        const outcome = await processor.handle(m.subject, m.data);
        m.ack();
        deps.onOutcome?.(outcome, m.subject);
      } catch (err) {
        // The store failed: leave the message unacked; it is redelivered after ack_wait.
        deps.log('error', 'hive could not store a fleet message; it will be redelivered', { error: String(err) });
        m.nak(2000);
      }
    }
  })();
  return async () => {
    agents.stop();
    await messages.close();
    await done.catch(() => undefined);
  };
}
