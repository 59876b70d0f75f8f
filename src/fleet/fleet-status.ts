import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { FleetAgent } from '../api/fleet-view.js';
import { parseEnvelope } from './envelope.js';
import { checkSigner, type TrustRegistry } from './trust.js';

/**
 * Every agent's last heartbeat from the status bucket, sorted by name, each checked against the
 * trust registry (a heartbeat signed by an unknown key is listed, as not enrolled). Shared by
 * `leuko fleet status` and the hive's `/api/v1/fleet/agents`.
 */
export async function readFleetStatus(status: KV, registry: TrustRegistry, now: number): Promise<FleetAgent[]> {
  const names: string[] = [];
  for await (const k of await status.keys()) names.push(k);
  const rows: FleetAgent[] = [];
  for (const name of names.sort()) {
    const entry = (await status.get(name)) as KvWatchEntry | null;
    if (entry?.operation !== 'PUT') continue;
    const p = parseEnvelope(entry.value);
    if (!p.ok) continue;
    const b = p.envelope.body as { version?: string; lagMs?: number; lines?: number; decisions?: number } | null;
    const signed = checkSigner(registry, p.envelope);
    rows.push({
      agent: p.envelope.agent,
      lastSeen: p.envelope.at,
      seenAgoS: Math.round((now - p.envelope.at) / 1000),
      version: typeof b?.version === 'string' ? b.version : '?',
      lagMs: typeof b?.lagMs === 'number' ? b.lagMs : null,
      lines: typeof b?.lines === 'number' ? b.lines : 0,
      decisions: typeof b?.decisions === 'number' ? b.decisions : 0,
      enrolled: signed.ok,
      trustedScopes: signed.ok ? [...signed.record.trustedScopes] : [],
    });
  }
  return rows;
}
