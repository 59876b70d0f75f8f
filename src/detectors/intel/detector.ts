import type { IntelFeedConfig } from '../../config/intel.js';
import type { Detection } from '../../core/detection.js';
import type { Detector } from '../../core/detector.js';
import type { Entity } from '../../core/entity.js';
import { type EcsEvent, fieldString, type Observation } from '../../core/event.js';
import type { IdGenerator } from '../../core/ids.js';
import type { IndicatorMatch, IndicatorSet } from './indicators.js';
import type { IntelHub } from './feeds.js';

const IP_FIELDS = ['source.ip', 'destination.ip', 'client.ip', 'server.ip'] as const;
const DOMAIN_FIELDS = [
  'url.domain',
  'destination.domain',
  'dns.question.name',
  'server.domain',
  'source.domain',
] as const;
const URL_FIELDS = ['url.full', 'url.original'] as const;
const HASH_FIELDS = [
  'file.hash.sha256',
  'file.hash.sha1',
  'file.hash.md5',
  'file.hash.sha512',
  'process.hash.sha256',
  'process.hash.md5',
] as const;
/** Bound on remembered (feed, indicator, entity) keys that already produced a detection. */
const MAX_RECENT = 100_000;

function hostOf(url: string): string | undefined {
  // Access logs hold paths, not absolute URLs: skip the regex for them.
  if (url.indexOf('://') < 0) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@?#]*@)?(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  return m?.[1];
}

/**
 * Match events against the loaded feeds: addresses (source, destination), domains (URL host,
 * DNS question), full URLs, and file hashes. A match on an address asks for the feed's action
 * on it with origin `intel`; a domain, URL or hash match names the source address as the
 * entity when there is one (the client that fetched the bad URL), else the file or host, and
 * only notifies.
 *
 * Expiry: the duration is the feed's, capped by the entry's `valid_until` and, for HTTP feeds,
 * by twice the refresh interval. An entry a refresh drops is therefore acted on for at most two
 * refresh periods after its last match, and a still-listed attacker is banned again on its next
 * request once the previous decision lapses. Event time drives everything (replay-safe).
 */
export function createIntelDetector(opts: {
  feeds: readonly IntelFeedConfig[];
  hub: IntelHub;
  ids: IdGenerator;
}): Detector {
  const byName = new Map(opts.feeds.map((f) => [f.name, f]));
  /** key → event time (ms) until which a repeat stays silent (the decision is still active). */
  const recent = new Map<string, number>();

  function durationS(feed: IntelFeedConfig, m: IndicatorMatch, time: number): number {
    let d = feed.duration;
    if (feed.url !== undefined) d = Math.min(d, 2 * feed.refresh);
    if (m.validUntil !== undefined) d = Math.min(d, Math.max(1, Math.floor((m.validUntil - time) / 1000)));
    return d;
  }

  function detection(
    obs: Observation,
    field: string,
    observed: string,
    m: IndicatorMatch,
    entity: Entity,
  ): Detection | undefined {
    const feed = byName.get(m.feed);
    if (feed === undefined) return undefined;
    if (m.validUntil !== undefined && m.validUntil <= obs.time) return undefined;
    const key = `${m.feed}|${m.indicator}|${entity.type}:${entity.value}`;
    const quietUntil = recent.get(key);
    if (quietUntil !== undefined && quietUntil > obs.time) return undefined;
    const dur = durationS(feed, m, obs.time);
    if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value!);
    recent.set(key, obs.time + dur * 1000);
    const acts = entity.type === 'ip' && m.type === 'ip' && feed.action !== 'notify';
    const entry = m.indicator === observed ? '' : ` (entry ${m.indicator})`;
    const until = m.validUntil === undefined ? '' : `, valid until ${new Date(m.validUntil).toISOString()}`;
    return {
      id: opts.ids.next('det'),
      scenario: `intel/${m.feed}`,
      time: obs.time,
      entity,
      techniques: m.type === 'ip' ? [] : ['T1071'],
      confidence: 0.9,
      severity: 'high',
      count: 1,
      explanation: `${field} ${observed} is listed in intel feed ${m.feed}${entry}${until}`,
      evidence: [{ timestamp: new Date(obs.time).toISOString(), message: obs.event.message, sourceId: obs.sourceId }],
      ...(acts
        ? { remediation: { action: feed.action as 'ban' | 'captcha', durationS: dur, scope: 'ip' as const } }
        : {}),
      labels: { feed: m.feed, indicator: m.indicator, 'indicator.type': m.type, field },
      origin: 'intel',
    };
  }

  function subject(ev: EcsEvent): Entity | undefined {
    const ip = fieldString(ev, 'source.ip');
    return ip === undefined ? undefined : { type: 'ip', value: ip };
  }

  // The kinds of the current set, recomputed only when the hub swaps in a new one.
  let kindsOf: IndicatorSet | undefined;
  let kinds = { ip: false, domain: false, url: false, hash: false };

  return {
    name: 'intel',
    process(obs) {
      const set = opts.hub.current;
      if (set.empty) return [];
      if (kindsOf !== set) {
        kindsOf = set;
        kinds = set.kinds;
      }
      const ev = obs.event;
      const out: Detection[] = [];
      if (kinds.ip)
        for (const f of IP_FIELDS) {
          const ip = fieldString(ev, f);
          const m = ip === undefined ? undefined : set.matchIp(ip);
          if (m && ip !== undefined) {
            const d = detection(obs, f, ip, m, { type: 'ip', value: ip });
            if (d) out.push(d);
          }
        }
      const other = (field: string, observed: string, m: IndicatorMatch | undefined, fallback: Entity) => {
        if (m === undefined) return;
        const d = detection(obs, field, observed, m, subject(ev) ?? fallback);
        if (d) out.push(d);
      };
      if (kinds.url || kinds.domain)
        for (const f of URL_FIELDS) {
          const u = fieldString(ev, f);
          if (u === undefined) continue;
          const host = hostOf(u);
          if (host === undefined) continue;
          other(f, u, set.matchUrl(u), { type: 'host', value: host });
          other(f, host, set.matchDomain(host), { type: 'host', value: host });
        }
      if (kinds.domain)
        for (const f of DOMAIN_FIELDS) {
          const d = fieldString(ev, f);
          if (d !== undefined) other(f, d, set.matchDomain(d), { type: 'host', value: d });
        }
      if (kinds.hash)
        for (const f of HASH_FIELDS) {
          const h = fieldString(ev, f);
          if (h !== undefined)
            other(f, h, set.matchHash(h), { type: 'file', value: fieldString(ev, 'file.path') ?? h });
        }
      return out;
    },
  };
}
