/**
 * Put signed (or forged) messages on a fleet's bus, as a rogue or a compromised agent would,
 * and hive-signed registry entries. Run inside the bus namespace by the fleet e2e test, with
 * every operation in one process (a node start costs seconds on a busy 2-core machine):
 *   node --import tsx test/fleet/inject.ts '{"nats":"nats://127.0.0.1:4222","ops":[...]}'
 */
import { writeFileSync } from 'node:fs';
import { decisionKey, type FleetConfig, openFleetBus, subjectFor } from '../../src/fleet/bus.js';
import { encodeEnvelope, fleetKeyToPem, generateFleetKey, signEnvelope } from '../../src/fleet/envelope.js';
import { loadFleetKey } from '../../src/fleet/keys.js';

type Op =
  /** A decision signed with `keyFile`, claiming to come from `agent` (a forger names another). */
  | { op: 'decision'; keyFile: string; agent: string; scope: 'ip' | 'range'; value: string }
  /** Enroll `publicKey`, or a new key written to `keyFile`, signed by the hive, with `scopes`. */
  | { op: 'enroll'; hiveKeyFile: string; keyFile?: string; publicKey?: string; agent: string; scopes: string[] };

const spec = JSON.parse(process.argv[2] ?? '{}') as { nats: string; ops: Op[] };
const config = { nats: { servers: [spec.nats] }, retention: 3600 } as unknown as FleetConfig;
const bus = await openFleetBus(config, 'leuko-test-inject');
const out: string[] = [];
for (const op of spec.ops) {
  const now = Date.now();
  if (op.op === 'enroll') {
    let publicKey = op.publicKey;
    if (publicKey === undefined) {
      const key = generateFleetKey();
      writeFileSync(op.keyFile as string, fleetKeyToPem(key), { mode: 0o600 });
      publicKey = key.publicKeyText;
    }
    const body = {
      agent: op.agent,
      publicKey,
      trustedScopes: op.scopes,
      revoked: false,
      updatedAt: now,
    };
    const env = signEnvelope(loadFleetKey(op.hiveKeyFile), {
      kind: 'agent',
      agent: 'hive',
      at: now,
      id: `hive:${op.agent}:${now}`,
      body,
    });
    await bus.agents.put(op.agent, encodeEnvelope(env));
    out.push(publicKey);
    continue;
  }
  const id = `dec_inject_${now}_${Math.random().toString(16).slice(2)}`;
  const env = signEnvelope(loadFleetKey(op.keyFile), {
    kind: 'decision',
    agent: op.agent,
    at: now,
    id: `${op.agent}:inject:${id}`,
    body: {
      id,
      scope: op.scope,
      value: op.value,
      action: 'ban',
      durationS: 3600,
      createdAt: now,
      expiresAt: now + 3_600_000,
      reason: 'injected by the test',
      host: op.agent,
    },
  });
  // Where a real agent puts it: the shared bucket, and the stream the hive reads.
  await bus.decisions.put(decisionKey(op.scope, op.value, op.agent), encodeEnvelope(env));
  await bus.js.publish(subjectFor(op.agent, 'decision'), encodeEnvelope(env), { msgID: env.id });
  out.push(id);
}
await bus.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
