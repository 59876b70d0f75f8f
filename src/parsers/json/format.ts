import type { EcsEvent, EventValue } from '../../core/event.js';
import { defineParser } from '../define-parser.js';
import { normalizeIp, isHostName } from '../shared/address.js';
import { createStream, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import { cowrieJsonEvent } from '../cowrie/handler.js';
import { fillAccess } from '../web/access-event.js';
import { caddyWafEvent } from '../web/caddy-waf.js';
import { jsonAccess } from '../web/json-access.js';
import { mongoJsonEvent } from '../mongodb/log.js';
import { jsonLoginEvent } from '../webapps/json-logins.js';
import { createNextcloudReader } from '../webapps/nextcloud.js';
import { selfHostedJsonEvent } from '../webapps/self-hosted.js';
import { teleportEvent } from '../webapps/teleport.js';
import { ssoJsonEvent } from '../webapps/sso.js';
import { flattenJson } from './flatten.js';
import { parseJsonObject } from './object.js';

const TIME_KEYS = ['@timestamp', 'timestamp', 'time', '@t', 'ts', 'date', 'datetime'] as const;
const KINDS = new Set(['event', 'alert', 'state', 'metric']);
const OUTCOMES = new Set(['success', 'failure', 'unknown']);
/** Fields whose ECS type is an array of keywords. */
const ARRAYS = new Set(['event.category', 'event.type']);
const NUMBERS = new Set([
  'source.port',
  'destination.port',
  'http.response.status_code',
  'http.response.body.bytes',
  'process.pid',
]);
const IPS = ['source.ip', 'destination.ip', 'client.ip'];

function timeOf(v: EventValue | undefined, stream: Stream): number | undefined {
  if (typeof v === 'number') return v < 1e11 ? Math.round(v * 1000) : Math.round(v);
  if (typeof v !== 'string') return undefined;
  const iso = isoAt(v, 0, stream.local);
  if (iso !== undefined) return iso[0];
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * A JSON object line (ECS nested or dotted keys, or any app's JSON log). Traefik and Caddy
 * access records become access events like an nginx line (see web/json-access.ts); MongoDB's,
 * Nextcloud's and Teleport's records are read by their own readers. `message` stays the raw line; the
 * document's own `message` goes to `leuko.json.message`. Typed ECS fields are checked: an
 * address that is not an IP never lands in `source.ip`. One reader per stream: Nextcloud's
 * remembers its recent failed logins.
 */
export function createJsonReader(
  stream: Stream,
): (line: string, doc?: Record<string, unknown>) => ReturnType<Stream['done']> | null {
  const nextcloud = createNextcloudReader();
  return (line, doc = parseJsonObject(line)) => {
    if (doc === undefined) return null;
    const access = jsonAccess(doc);
    if (access !== undefined) {
      const t = Number.isFinite(access.record.time) ? access.record.time : stream.ctx.clock.now();
      const ev = stream.event(line, t, access.dataset);
      fillAccess(ev, access.record);
      return stream.done(ev, t);
    }
    // Coraza's WAF matches in Caddy's log (an unreadable client drops the record: null).
    const waf = caddyWafEvent(stream, line, doc);
    if (waf !== undefined) return waf;
    return (
      mongoJsonEvent(stream, line, doc) ??
      nextcloud(stream, line, doc) ??
      teleportEvent(stream, line, doc) ??
      selfHostedJsonEvent(stream, line, doc) ??
      ssoJsonEvent(stream, line, doc) ??
      jsonLoginEvent(stream, line, doc) ??
      cowrieJsonEvent(stream, line, doc) ??
      genericJsonEvent(stream, line, doc)
    );
  };
}

/** Any other JSON object: its ECS fields typed and checked, the rest kept as they are. */
function genericJsonEvent(stream: Stream, line: string, doc: Record<string, unknown>): ReturnType<Stream['done']> {
  const fields = flattenJson(doc);
  let time: number | undefined;
  for (const k of TIME_KEYS) {
    time = timeOf(fields.get(k), stream);
    if (time !== undefined) break;
  }
  if (time === undefined || !Number.isFinite(time)) time = stream.ctx.clock.now();
  const ds = fields.get('event.dataset');
  const ev: EcsEvent = stream.event(line, time, typeof ds === 'string' && ds.length > 0 ? ds : 'json');
  for (const [k, v] of fields) {
    if (k === '@timestamp' || k === 'event.dataset') continue;
    if (k === 'message') ev['leuko.json.message'] = typeof v === 'string' ? v : String(v);
    else if (k === 'event.kind') {
      if (typeof v === 'string' && KINDS.has(v)) ev['event.kind'] = v as EcsEvent['event.kind'];
    } else if (k === 'event.outcome') {
      if (typeof v === 'string' && OUTCOMES.has(v)) ev['event.outcome'] = v as 'success' | 'failure' | 'unknown';
    } else if (ARRAYS.has(k)) ev[k] = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
    else if (NUMBERS.has(k)) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
      if (n !== undefined) ev[k] = n;
    } else if (IPS.includes(k)) {
      const ip = typeof v === 'string' ? normalizeIp(v) : undefined;
      if (ip !== undefined) ev[k] = ip;
      else if (k === 'source.ip' && typeof v === 'string' && isHostName(v)) ev['source.address'] = v;
    } else if (k !== 'log.file.path' && k !== 'message') ev[k] = v;
  }
  if (ev['source.ip'] === undefined && typeof ev['client.ip'] === 'string') ev['source.ip'] = ev['client.ip'];
  return stream.done(ev, time);
}

export const jsonParser = defineParser({
  name: 'json',
  description: 'JSON object per line (ECS nested or dotted keys)',
  create(ctx) {
    const read = createJsonReader(createStream(ctx));
    return (line) => read(line);
  },
});
