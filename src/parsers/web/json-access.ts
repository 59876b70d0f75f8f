import { normalizeIp } from '../shared/address.js';
import { clfTimeAt } from '../shared/time.js';
import type { AccessRecord } from './access.js';

/**
 * Access logs that reverse proxies write as JSON, read as the same request record as an
 * nginx/apache line, so every web scenario, the attack classifier and the web baselines see
 * them: Traefik (`accessLog.format: json`), Caddy (`log` in an http server) and nginx's own
 * `log_format ... escape=json` records keyed by its variable names (`remote_addr`, `request`
 * or `request_method` and `request_uri`, `status`...), as Angie, OpenResty and ingress-nginx
 * write them too.
 *
 * The client address comes from the proxy's own peer field, never from a forwarded header in
 * the document: `X-Forwarded-For` and friends are whatever the client sent. Traefik puts the
 * peer in `ClientHost` (forwarded headers only when its entry point trusts them); Caddy puts it
 * in `request.remote_ip` and, when `trusted_proxies` is configured, the resolved client in
 * `request.client_ip`; nginx in `remote_addr` (the real_ip module's result where configured),
 * never `http_x_forwarded_for`.
 */
export interface JsonAccess {
  readonly dataset: 'traefik.access' | 'caddy.access' | 'nginx.access';
  readonly record: AccessRecord;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function status(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 999 ? v : undefined;
}

function bytes(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function record(o: Record<string, unknown>): Record<string, unknown> | undefined {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? o : undefined;
}

/** Traefik's `request_User-Agent` style header fields (kept only with `fields.headers`). */
function traefikHeader(doc: Record<string, unknown>, name: string): string | undefined {
  const v = str(doc[`request_${name}`]);
  return v === undefined || v === '-' ? undefined : v;
}

function traefik(doc: Record<string, unknown>): JsonAccess | undefined {
  const method = str(doc.RequestMethod);
  const path = str(doc.RequestPath);
  const ip = normalizeIp(str(doc.ClientHost) ?? '');
  if (method === undefined || path === undefined || ip === undefined) return undefined;
  const time = Date.parse(str(doc.StartUTC) ?? str(doc.time) ?? '');
  const proto = str(doc.RequestProtocol);
  const user = str(doc.ClientUsername);
  return {
    dataset: 'traefik.access',
    record: {
      time,
      ip,
      vhost: str(doc.RequestHost),
      user: user === '-' ? undefined : user,
      request: proto === undefined ? `${method} ${path}` : `${method} ${path} ${proto}`,
      status: status(doc.DownstreamStatus) ?? status(doc.OriginStatus),
      bytes: bytes(doc.DownstreamContentSize),
      referrer: traefikHeader(doc, 'Referer'),
      agent: traefikHeader(doc, 'User-Agent'),
    },
  };
}

/** First value of a Caddy header (`{"User-Agent": ["curl/8"]}`). */
function caddyHeader(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? str(v[0]) : undefined;
}

function caddy(doc: Record<string, unknown>): JsonAccess | undefined {
  const logger = str(doc.logger);
  if (logger === undefined || !logger.startsWith('http.log.access')) return undefined;
  const req = record(doc.request as Record<string, unknown>);
  if (req === undefined) return undefined;
  const method = str(req.method);
  const uri = str(req.uri);
  const ip = normalizeIp(str(req.client_ip) ?? str(req.remote_ip) ?? '');
  if (method === undefined || uri === undefined || ip === undefined) return undefined;
  const headers = record(req.headers as Record<string, unknown>);
  const ts = doc.ts;
  const proto = str(req.proto);
  // Caddy logs status 0 when a handler wrote nothing (the request never reached a response).
  const code = status(doc.status);
  return {
    dataset: 'caddy.access',
    record: {
      time: typeof ts === 'number' && Number.isFinite(ts) ? Math.round(ts * 1000) : Number.NaN,
      ip,
      vhost: str(req.host),
      user: str(doc.user_id),
      request: proto === undefined ? `${method} ${uri}` : `${method} ${uri} ${proto}`,
      status: code,
      bytes: bytes(doc.size),
      referrer: caddyHeader(headers, 'Referer'),
      agent: caddyHeader(headers, 'User-Agent'),
    },
  };
}

/** A string or number field as text (nginx writes every variable as a string). */
function text(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : str(v);
}

/** nginx's time variables: `time_iso8601`, `time_local`, `msec` (seconds.millis). */
function nginxTime(doc: Record<string, unknown>): number {
  const iso = str(doc.time_iso8601) ?? str(doc['@timestamp']) ?? str(doc.timestamp) ?? str(doc.time);
  if (iso !== undefined) {
    const t = Date.parse(iso);
    if (Number.isFinite(t)) return t;
  }
  const local = str(doc.time_local);
  if (local !== undefined) {
    const t = clfTimeAt(local, 0);
    if (Number.isFinite(t)) return t;
  }
  const msec = Number(text(doc.msec));
  return Number.isFinite(msec) && msec > 0 ? Math.round(msec * 1000) : Number.NaN;
}

function nginx(doc: Record<string, unknown>): JsonAccess | undefined {
  const ip = normalizeIp(str(doc.remote_addr) ?? '');
  if (ip === undefined) return undefined;
  const method = str(doc.request_method);
  const uri = str(doc.request_uri);
  const proto = str(doc.server_protocol);
  const request =
    str(doc.request) ??
    (method !== undefined && uri !== undefined ? `${method} ${uri}${proto ? ` ${proto}` : ''}` : undefined);
  const code = Number(text(doc.status));
  if (request === undefined || !Number.isInteger(code) || code < 100 || code > 999) return undefined;
  const size = Number(text(doc.body_bytes_sent) ?? text(doc.bytes_sent));
  const user = str(doc.remote_user);
  const ref = str(doc.http_referer);
  const agent = str(doc.http_user_agent);
  return {
    dataset: 'nginx.access',
    record: {
      time: nginxTime(doc),
      ip,
      vhost: str(doc.host) ?? str(doc.server_name),
      user: user === '-' ? undefined : user,
      request,
      status: code,
      bytes: Number.isSafeInteger(size) && size >= 0 ? size : undefined,
      referrer: ref,
      agent,
    },
  };
}

/** The request of a Traefik, Caddy or nginx JSON access record; undefined for any other document. */
export function jsonAccess(doc: Record<string, unknown>): JsonAccess | undefined {
  return 'RequestMethod' in doc
    ? traefik(doc)
    : 'logger' in doc
      ? caddy(doc)
      : 'remote_addr' in doc
        ? nginx(doc)
        : undefined;
}
