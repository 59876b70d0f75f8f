/**
 * Simulated fleet agents for `bench/fleet.ts`: N agents in one process, each with its own NATS
 * connection, KV watch, signature check, trust rules and store commit, exactly the receiving
 * path of a real agent minus the firewall. Prints one JSON line per accepted decision:
 * {"agent": "sim-7", "id": "dec_...", "latencyMs": 41} (signing on the decider → committed here).
 *   node --import tsx bench/fleet-sim.ts '{"nats":"nats://127.0.0.1:4222","n":48,"trust":[{"agent":"a","publicKey":"..."}]}'
 */
import { Kvm, type KvWatchEntry, KvWatchInclude } from '@nats-io/kv';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { systemClock } from '../src/core/clock.js';
import { DECISIONS_BUCKET } from '../src/fleet/bus.js';
import { parseEnvelope } from '../src/fleet/envelope.js';
import { createQuorumTracker } from '../src/fleet/quorum.js';
import { createReceiver } from '../src/fleet/receiver.js';
import { createTrustRegistry } from '../src/fleet/trust.js';
import { createAllowlist } from '../src/policy/allowlist.js';
import { createEphemeralStore } from '../src/store/ephemeral-store.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as {
  nats: string;
  n: number;
  trust: { agent: string; publicKey: string }[];
};

async function simAgent(index: number): Promise<() => void> {
  const self = `sim-${index}`;
  const nc = await connect({ servers: spec.nats, name: self });
  const kv = await new Kvm(jetstream(nc)).open(DECISIONS_BUCKET);
  const store = createEphemeralStore();
  await store.migrate();
  const registry = createTrustRegistry(
    spec.trust.map((t) => ({
      agent: t.agent,
      publicKey: t.publicKey,
      trustedScopes: ['ip'],
      revoked: false,
      updatedAt: 0,
    })),
  );
  const tracker = createQuorumTracker({ windowMs: 3_600_000 });
  const receiver = createReceiver({
    store,
    enforcer: undefined,
    now: () => systemClock.now(),
    log: () => undefined,
    context: () => ({
      self,
      registry,
      limits: { minPrefixV4: 24, minPrefixV6: 48 },
      allowlist: createAllowlist(['127.0.0.0/8']),
      fleetAddresses: createAllowlist([]),
      quorum: 0,
      tracker,
      now: systemClock.now(),
    }),
  });
  // Only what is decided from now on: the bench measures propagation, not history.
  const w = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
  (async () => {
    for await (const e of w as AsyncIterable<KvWatchEntry>) {
      const outcome = await receiver.handle(e);
      if (outcome !== 'accepted') continue;
      const p = parseEnvelope(e.value);
      if (!p.ok) continue;
      const body = p.envelope.body as { id: string };
      process.stdout.write(`${JSON.stringify({ agent: self, id: body.id, latencyMs: Date.now() - p.envelope.at })}\n`);
    }
  })().catch(() => undefined);
  return () => {
    w.stop();
    void nc.close();
  };
}

const stops = await Promise.all(Array.from({ length: spec.n }, (_, i) => simAgent(i)));
process.stdout.write(`${JSON.stringify({ ready: spec.n })}\n`);
process.on('SIGTERM', () => {
  for (const s of stops) s();
  setTimeout(() => process.exit(0), 200);
});
