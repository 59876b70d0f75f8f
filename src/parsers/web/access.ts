import type { EcsEvent } from '../../core/event.js';
import { normalizeIp, toPort } from '../shared/address.js';
import { clfTimeAt } from '../shared/time.js';
import { closingQuote, unescapeLogField } from './unescape.js';

/** What an access-log line holds, before it becomes an event. */
export interface AccessRecord {
  readonly time: number;
  readonly ip: string;
  readonly vhost: string | undefined;
  readonly user: string | undefined;
  readonly request: string;
  readonly status: number | undefined;
  readonly bytes: number | undefined;
  readonly referrer: string | undefined;
  readonly agent: string | undefined;
}

function token(s: string, start: number): number {
  const sp = s.indexOf(' ', start);
  return sp < 0 ? s.length : sp;
}

/**
 * Combined / common / vhost_combined / extra-fields access lines:
 * `[VHOST[:PORT] ]IP IDENT USER [dd/Mon/yyyy:HH:MM:SS +zzzz] "REQUEST" STATUS BYTES ["REF" "UA" ...]`.
 * The client is decided by the first tokens only (`IP -` or `VHOST IP -`), which no client
 * text can reach. The user (basic auth, client text) may contain spaces and brackets, so the
 * date is found right before the first unescaped quote, which opens the request.
 */
export function parseAccess(line: string): AccessRecord | null {
  const e1 = token(line, 0);
  const t1 = line.slice(0, e1);
  const e2 = token(line, e1 + 1);
  const t2 = line.slice(e1 + 1, e2);
  let ip: string | undefined;
  let vhost: string | undefined;
  let identEnd: number;
  if (t2 === '-' && (ip = normalizeIp(t1)) !== undefined) identEnd = e2;
  else {
    const e3 = token(line, e2 + 1);
    if (line.slice(e2 + 1, e3) !== '-' || (ip = normalizeIp(t2)) === undefined) return null;
    vhost = t1;
    identEnd = e3;
  }
  const q = closingQuote(line, identEnd);
  if (q < 0 || q < identEnd + 29 || line.charCodeAt(q - 1) !== 32 || line.charCodeAt(q - 2) !== 93) return null;
  const dateOpen = line.lastIndexOf('[', q - 2);
  if (dateOpen < identEnd + 1) return null;
  const time = clfTimeAt(line, dateOpen + 1);
  if (!Number.isFinite(time)) return null;
  let user: string | undefined;
  if (dateOpen > identEnd + 1) {
    const raw = line.slice(identEnd + 1, dateOpen - 1);
    if (raw !== '-' && raw.length > 0) user = unescapeLogField(raw);
  }
  const qEnd = closingQuote(line, q + 1);
  if (qEnd < 0) return null;
  const request = unescapeLogField(line.slice(q + 1, qEnd));
  let i = qEnd + 1;
  let status: number | undefined;
  let bytes: number | undefined;
  if (line.charCodeAt(i) === 32) {
    const se = token(line, i + 1);
    const st = line.slice(i + 1, se);
    if (/^\d{3}$/.test(st)) status = Number(st);
    else if (st !== '-') return null;
    i = se;
    if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) !== 34) {
      const be = token(line, i + 1);
      const bt = line.slice(i + 1, be);
      if (/^\d{1,15}$/.test(bt)) bytes = Number(bt);
      i = be;
    }
  }
  let referrer: string | undefined;
  let agent: string | undefined;
  if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) === 34) {
    const re = closingQuote(line, i + 2);
    if (re > 0) {
      referrer = unescapeLogField(line.slice(i + 2, re));
      i = re + 1;
      if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) === 34) {
        const ue = closingQuote(line, i + 2);
        if (ue > 0) agent = unescapeLogField(line.slice(i + 2, ue));
      }
    }
  }
  return { time, ip, vhost, user, request, status, bytes, referrer, agent };
}

/**
 * nginx-proxy-manager: `[date] CACHE STATUS STATUS - METHOD SCHEME HOST "PATH" [Client IP] ...`.
 * The path is client text in quotes; the client comes right after it, in NPM's own bracket.
 */
export function parseNpmAccess(line: string): AccessRecord | null {
  if (line.charCodeAt(0) !== 91 || line.charCodeAt(27) !== 93 || line.charCodeAt(28) !== 32) return null;
  const time = clfTimeAt(line, 1);
  if (!Number.isFinite(time)) return null;
  const q = line.indexOf('"', 29);
  if (q < 0) return null;
  const head = line.slice(29, q).trim().split(' ');
  const qEnd = closingQuote(line, q + 1);
  if (qEnd < 0) return null;
  // NPM's catch-all server: `[date] HOST IP REQUEST_TIME "REQUEST" STATUS ...`.
  if (head.length === 3 && /^\d+(?:\.\d+)?$/.test(head[2]!)) {
    const ip = normalizeIp(head[1]!);
    if (ip === undefined) return null;
    const st = /^ (\d{3}) (\d+)/.exec(line.slice(qEnd + 1, qEnd + 32));
    return {
      time,
      ip,
      vhost: head[0],
      user: undefined,
      request: unescapeLogField(line.slice(q + 1, qEnd)),
      status: st !== null ? Number(st[1]) : undefined,
      bytes: st !== null ? Number(st[2]) : undefined,
      referrer: undefined,
      agent: undefined,
    };
  }
  if (!line.startsWith(' [Client ', qEnd + 1)) return null;
  const cEnd = line.indexOf(']', qEnd + 10);
  const ip = cEnd > 0 ? normalizeIp(line.slice(qEnd + 10, cEnd)) : undefined;
  if (ip === undefined) return null;
  const status = head.find((t) => /^\d{3}$/.test(t));
  const mIdx = head.findIndex((t) => /^[A-Z]{3,10}$/.test(t) && t !== 'HIT' && t !== 'MISS' && t !== 'BYPASS');
  const method = mIdx >= 0 ? head[mIdx] : undefined;
  const vhost = mIdx >= 0 ? head[mIdx + 2] : undefined;
  const path = unescapeLogField(line.slice(q + 1, qEnd));
  let agent: string | undefined;
  let referrer: string | undefined;
  const tailQ = line.indexOf('"', cEnd);
  if (tailQ > 0) {
    const aEnd = closingQuote(line, tailQ + 1);
    if (aEnd > 0) {
      agent = unescapeLogField(line.slice(tailQ + 1, aEnd));
      if (line.charCodeAt(aEnd + 1) === 32 && line.charCodeAt(aEnd + 2) === 34) {
        const rEnd = closingQuote(line, aEnd + 3);
        if (rEnd > 0) referrer = unescapeLogField(line.slice(aEnd + 3, rEnd));
      }
    }
  }
  const lenM = /\[Length (\d+)\]/.exec(line.slice(cEnd, cEnd + 64));
  return {
    time,
    ip,
    vhost,
    user: undefined,
    request: method !== undefined ? `${method} ${path}` : path,
    status: status !== undefined ? Number(status) : undefined,
    bytes: lenM !== null ? Number(lenM[1]) : undefined,
    referrer,
    agent,
  };
}

/** Split `METHOD TARGET PROTO` into ECS fields; malformed requests are kept as they came. */
export function fillRequest(ev: EcsEvent, request: string): void {
  const a = request.indexOf(' ');
  const b = request.lastIndexOf(' ');
  const method = a > 0 ? request.slice(0, a) : request;
  if (a > 0 && /^[A-Za-z][A-Za-z_-]{0,31}$/.test(method)) {
    ev['http.request.method'] = method.toUpperCase();
    let target: string;
    if (b > a && request.startsWith('HTTP/', b + 1)) {
      target = request.slice(a + 1, b);
      ev['http.version'] = request.slice(b + 6);
    } else target = request.slice(a + 1);
    ev['url.original'] = target;
    const qm = target.indexOf('?');
    ev['url.path'] = qm >= 0 ? target.slice(0, qm) : target;
    if (qm >= 0) ev['url.query'] = target.slice(qm + 1);
  } else if (request.length > 0 && request !== '-') {
    ev['leuko.http.request_line'] = request;
  }
}

export function vhostFields(ev: EcsEvent, vhost: string): void {
  const c = vhost.lastIndexOf(':');
  const port = c > 0 ? toPort(vhost.slice(c + 1)) : undefined;
  const name = port !== undefined ? vhost.slice(0, c) : vhost;
  if (name.length > 0 && name !== '-') ev['url.domain'] = name;
  if (port !== undefined) ev['url.port'] = port;
}
