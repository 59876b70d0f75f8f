import type { KV, KvEntry, KvWatchEntry } from '@nats-io/kv';
import type { KeyObject } from 'node:crypto';
import { parseEnvelope } from './envelope.js';
import { type AgentRecord, checkHiveSigned, type TrustRegistry } from './trust.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/**
 * Keep `registry` in step with the hive-signed agents bucket. Every current entry is read
 * BEFORE this resolves, so no fleet message is judged against a half-loaded registry (which
 * would refuse a decision from an agent enrolled a second earlier, for good). Later changes
 * (enroll, revoke) arrive through the watch. Entries not signed by the hive are ignored.
 */
export async function syncRegistry(kv: KV, registry: TrustRegistry, hiveKey: KeyObject | undefined, log: Log) {
  const apply = (e: KvEntry | null) => {
    if (e?.operation !== 'PUT') return;
    const p = parseEnvelope(e.value);
    if (!p.ok || p.envelope.kind !== 'agent' || !checkHiveSigned(hiveKey, p.envelope)) {
      log('warn', `fleet registry entry ${e.key} ignored: not signed by the hive`);
      return;
    }
    if (!registry.put(p.envelope.body as AgentRecord)) log('warn', `fleet registry entry ${e.key} has an unusable key`);
  };
  const keys = await kv.keys();
  const names: string[] = [];
  for await (const k of keys) names.push(k);
  for (const k of names) apply(await kv.get(k));
  const watch = await kv.watch();
  (async () => {
    for await (const e of watch as AsyncIterable<KvWatchEntry>) apply(e);
  })().catch((err) => log('error', 'fleet registry watch ended', { error: String(err) }));
  return watch;
}
