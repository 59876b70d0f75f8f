import type { Detection } from '../core/detection.js';
import type { Detector } from '../core/detector.js';
import type { EcsEvent } from '../core/event.js';
import type { IdGenerator } from '../core/ids.js';
import type { IndicatorKind, Memory } from './types.js';

export const MEMORY_SCENARIO = 'leuko/immune-memory';
const HOLD_MS = 10 * 60_000;
const MAX_HELD = 10_000;

/**
 * Immune memory: indicators carried by incidents a person confirmed (true positive), matched on
 * every new event until they expire. A match asks for a ban of the event's own source address
 * on its first line (the decision maker still applies the allowlist and repeat-offender
 * escalation). The indicator only ever bans whoever sends it: a remembered user agent or payload
 * never reaches an address that did not send it.
 */
export interface ImmuneMemoryDetector extends Detector {
  /** Replace the remembered indicators (reloaded when the learning tables change). */
  load(memories: readonly Memory[]): void;
}

export function createImmuneMemoryDetector(opts: { ids: IdGenerator; banDurationS: number }): ImmuneMemoryDetector {
  let byIp = new Map<string, Memory>();
  let byUa = new Map<string, Memory>();
  let payloads: Memory[] = [];
  let hashes = new Map<string, Memory>();
  /** Last detection per memory and address (event time), so a flood is one detection, not one per line. */
  const held = new Map<string, number>();

  function match(event: EcsEvent): { memory: Memory; kind: IndicatorKind; field: string } | undefined {
    const ip = event['source.ip'];
    if (typeof ip === 'string') {
      const m = byIp.get(ip);
      if (m) return { memory: m, kind: 'ip', field: 'source.ip' };
    }
    const ua = event['user_agent.original'];
    if (typeof ua === 'string' && byUa.size > 0) {
      const m = byUa.get(ua);
      if (m) return { memory: m, kind: 'user_agent', field: 'user_agent.original' };
    }
    if (payloads.length > 0) {
      const url = event['url.original'];
      if (typeof url === 'string') {
        const lower = url.toLowerCase();
        for (const m of payloads)
          if (lower.includes(m.value)) return { memory: m, kind: 'payload', field: 'url.original' };
      }
    }
    if (hashes.size > 0) {
      for (const f of ['file.hash.sha256', 'file.hash.sha1', 'file.hash.md5']) {
        const h = event[f];
        if (typeof h === 'string') {
          const m = hashes.get(h.toLowerCase());
          if (m) return { memory: m, kind: 'file_hash', field: f };
        }
      }
    }
    return undefined;
  }

  return {
    name: 'immune-memory',
    load(memories) {
      byIp = new Map();
      byUa = new Map();
      payloads = [];
      hashes = new Map();
      for (const m of memories) {
        if (m.kind === 'ip') byIp.set(m.value, m);
        else if (m.kind === 'user_agent') byUa.set(m.value, m);
        else if (m.kind === 'payload') payloads.push(m);
        else hashes.set(m.value.toLowerCase(), m);
      }
    },
    process(obs) {
      if (byIp.size + byUa.size + payloads.length + hashes.size === 0) return [];
      const hit = match(obs.event);
      if (!hit || obs.time >= hit.memory.expiresAt) return [];
      const source = obs.event['source.ip'];
      if (typeof source !== 'string') return [];
      const key = `${hit.memory.id}\u0000${source}`;
      const last = held.get(key);
      if (last !== undefined && obs.time - last < HOLD_MS && obs.time >= last) return [];
      held.delete(key);
      held.set(key, obs.time);
      if (held.size > MAX_HELD) {
        const oldest = held.keys().next().value;
        if (oldest !== undefined) held.delete(oldest);
      }
      const m = hit.memory;
      const shown = m.value.length > 80 ? `${m.value.slice(0, 77)}...` : m.value;
      const detection: Detection = {
        id: opts.ids.next('det'),
        scenario: MEMORY_SCENARIO,
        time: obs.time,
        entity: { type: 'ip', value: source },
        techniques: [],
        confidence: 0.9,
        severity: 'high',
        count: 1,
        explanation:
          `immune memory ${m.id}: ${hit.field} matches ${m.kind} ${JSON.stringify(shown)} remembered from ` +
          `true positive ${m.incidentId} (${m.scenarios.join(', ')}), until ${new Date(m.expiresAt).toISOString()}`,
        evidence: [{ timestamp: obs.event['@timestamp'], message: obs.event.message, sourceId: obs.sourceId }],
        remediation: { action: 'ban', durationS: opts.banDurationS, scope: 'ip' },
        labels: { detector: 'immune-memory', origin: 'intel', memory: m.id, indicator: m.kind },
      };
      return [detection];
    },
  };
}
