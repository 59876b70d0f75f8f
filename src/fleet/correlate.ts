import type { Detection } from '../core/detection.js';
import type { Incident } from '../core/incident.js';

/** A detection as the hive sees it: which host raised it. */
export interface FleetSighting {
  readonly host: string;
  readonly detection: Detection;
}

interface Track {
  /** host -> { first, last, scenarios, detection ids } within the window. */
  hosts: Record<string, { first: number; last: number; scenarios: string[]; ids: string[] }>;
}

/** What the hive correlates on: the attacking entity, or a file hash seen on several hosts. */
function keysOf(d: Detection): { key: string; label: string; entity: Incident['entity'] }[] {
  const out: { key: string; label: string; entity: Incident['entity'] }[] = [];
  if (d.entity.type === 'ip' || d.entity.type === 'range' || d.entity.type === 'user') {
    out.push({ key: `${d.entity.type}:${d.entity.value}`, label: d.entity.value, entity: d.entity });
  }
  const hash = d.labels?.['file.hash.sha256'];
  if (hash) out.push({ key: `hash:${hash}`, label: `file hash ${hash}`, entity: { type: 'file', value: hash } });
  return out;
}

const WHAT: Record<string, string> = {
  ip: 'attacked',
  range: 'attacked',
  user: 'was used against',
  file: 'appeared on',
};

/**
 * Fleet-wide correlation: one source attacking several hosts, one account abused on several
 * hosts, one file hash on several hosts. A fleet incident's id is derived from what it is
 * about, so re-processing the same detections (a redelivery after the hive was killed)
 * updates the same incident instead of opening a second one. State is a plain object so the
 * hive commits it with the detections it reflects.
 */
export function createFleetCorrelator(opts: { windowMs: number; minHosts?: number; maxKeys?: number }) {
  const minHosts = opts.minHosts ?? 2;
  const maxKeys = opts.maxKeys ?? 50_000;
  let tracks = new Map<string, Track>();

  return {
    /** Add one sighting; returns the fleet incidents it opened or grew. */
    add(s: FleetSighting): Incident[] {
      const out: Incident[] = [];
      const t = s.detection.time;
      for (const k of keysOf(s.detection)) {
        let track = tracks.get(k.key);
        if (!track) {
          if (tracks.size >= maxKeys) {
            const oldest = tracks.keys().next().value;
            if (oldest !== undefined) tracks.delete(oldest);
          }
          track = { hosts: {} };
          tracks.set(k.key, track);
        }
        for (const [h, v] of Object.entries(track.hosts)) if (t - v.last > opts.windowMs) delete track.hosts[h];
        const h = (track.hosts[s.host] ??= { first: t, last: t, scenarios: [], ids: [] });
        h.first = Math.min(h.first, t);
        h.last = Math.max(h.last, t);
        if (!h.scenarios.includes(s.detection.scenario)) h.scenarios.push(s.detection.scenario);
        if (!h.ids.includes(s.detection.id)) h.ids.push(s.detection.id);
        const hosts = Object.keys(track.hosts).sort();
        if (hosts.length < minHosts) continue;
        const all = hosts.map((name) => track.hosts[name] as Track['hosts'][string]);
        const first = Math.min(...all.map((v) => v.first));
        const last = Math.max(...all.map((v) => v.last));
        const scenarios = [...new Set(all.flatMap((v) => v.scenarios))].sort();
        const per = hosts.map((name) => `${name} (${track.hosts[name]?.scenarios.join(', ')})`).join('; ');
        out.push({
          id: `finc_${Buffer.from(k.key).toString('hex').slice(0, 80)}`,
          entity: k.entity,
          firstSeen: first,
          lastSeen: last,
          status: 'open',
          severity: hosts.length >= 3 ? 'critical' : 'high',
          scenarios: ['leuko/fleet-correlation', ...scenarios],
          techniques: [...new Set([...(s.detection.techniques ?? [])])],
          detectionIds: all.flatMap((v) => v.ids).slice(-200),
          explanation: `${k.label} ${WHAT[k.entity.type] ?? 'was seen on'} ${hosts.length} hosts within ${Math.round(
            (last - first) / 1000,
          )} s: ${per}`,
        });
      }
      return out;
    },
    snapshot: (): string => JSON.stringify([...tracks]),
    restore(text: string) {
      tracks = new Map(JSON.parse(text) as [string, Track][]);
    },
  };
}
