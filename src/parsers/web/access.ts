import type { EcsEvent } from '../../core/event.js';
import { normalizeIp, toPort } from '../shared/address.js';
import { clfTimeAt, digitsAt } from '../shared/time.js';
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

/** `s[start, end)` is `-`. */
function isDash(s: string, start: number, end: number): boolean {
  return end - start === 1 && s.charCodeAt(start) === 45;
}

/** Whether `text` has an address word followed by a `-` word (a client and its ident field). */
function holdsClientField(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    const end = token(text, start);
    if (
      end - start >= 2 &&
      isDash(text, end + 1, token(text, end + 1)) &&
      normalizeIp(text.slice(start, end)) !== undefined
    )
      return true;
    start = end + 1;
  }
  return false;
}

/**
 * The time of `[dd/Mon/yyyy:HH:MM:SS +zzzz] ` at `d` (after its `[`), or NaN. The date is a
 * fixed 29 characters: when it parses there and holds no `[` (clfTimeAt checks every position
 * but the three separators tested here), its bracket is the last `[` before the request, which
 * is how the date is found otherwise.
 */
function fixedDateAt(line: string, d: number): number {
  if (
    line.charCodeAt(d - 1) !== 91 ||
    line.charCodeAt(d + 14) === 91 ||
    line.charCodeAt(d + 17) === 91 ||
    line.charCodeAt(d + 20) === 91
  )
    return Number.NaN;
  return clfTimeAt(line, d);
}

/**
 * Whether `line` has an access line's shape: `[dd/Mon/yyyy:HH:MM:SS +zzzz] ` right before its
 * first quote that no backslash escapes (the request's).
 */
export function isAccessShaped(line: string): boolean {
  let q = line.indexOf('"');
  while (q > 0 && line.charCodeAt(q - 1) === 92) q = line.indexOf('"', q + 1);
  if (q < 29 || line.charCodeAt(q - 1) !== 32 || line.charCodeAt(q - 2) !== 93 || line.charCodeAt(q - 29) !== 91)
    return false;
  return Number.isFinite(clfTimeAt(line, q - 28));
}

/**
 * Combined / common / vhost_combined / extra-fields access lines:
 * `[VHOST[:PORT] ]IP IDENT USER [dd/Mon/yyyy:HH:MM:SS +zzzz] "REQUEST" STATUS BYTES ["REF" "UA" ...]`,
 * and lighttpd's default `IP HOST USER [date] ...` (`%h %V %u %t`, no ident field).
 * The client is decided by the first tokens only (`IP -`, `VHOST IP - USER` or lighttpd's
 * `IP HOST`), which no client text can reach: a vhost line has its ident and user fields, so
 * lighttpd's Host (client text) standing second with a `-` user after it is never taken for the
 * client. The user (basic auth, client text) may contain spaces and brackets, so the date is
 * found right before the first unescaped quote, which opens the request.
 */
export function parseAccess(line: string): AccessRecord | null {
  const e1 = token(line, 0);
  const t1 = line.slice(0, e1);
  const e2 = token(line, e1 + 1);
  let ip: string | undefined;
  let vhost: string | undefined;
  let identEnd: number;
  // lighttpd: the user follows the host directly, so the date may come right after the ident end.
  let lighttpd = false;
  if (isDash(line, e1 + 1, e2) && (ip = normalizeIp(t1)) !== undefined) identEnd = e2;
  else {
    const e3 = token(line, e2 + 1);
    const second = e2 > e1 + 1 ? normalizeIp(line.slice(e1 + 1, e2)) : undefined;
    const first = normalizeIp(t1);
    // `VHOST IP - USER [date]`. When the first word is an address too, the line could be
    // lighttpd's `IP HOST - [date]` with an address for a Host: only the user field that
    // lighttpd does not have tells the vhost form.
    const user = line.charCodeAt(e3 + 1) !== 91 && e3 < line.length;
    if (second !== undefined && isDash(line, e2 + 1, e3) && (first === undefined || user)) {
      ip = second;
      vhost = t1;
      identEnd = e3;
    } else if ((ip = first) !== undefined && e2 > e1 + 1 && line.charCodeAt(e1 + 1) !== 91) {
      vhost = line.slice(e1 + 1, e2);
      identEnd = e2;
      lighttpd = true;
    } else return null;
  }
  // No backslash in the rest of the line (the usual case): a quote ends its field and fields
  // need no unescaping, so each is found with one native search.
  const plain = line.indexOf('\\', identEnd) < 0;
  const q = plain ? line.indexOf('"', identEnd) : closingQuote(line, identEnd);
  if (q < 0 || q < identEnd + 29 || line.charCodeAt(q - 1) !== 32 || line.charCodeAt(q - 2) !== 93) return null;
  // The date is the bracketed text right before the request quote.
  let dateOpen = q - 29;
  let time = fixedDateAt(line, q - 28);
  if (Number.isNaN(time)) {
    dateOpen = line.lastIndexOf('[', q - 2);
    time = clfTimeAt(line, dateOpen + 1);
  }
  if (dateOpen < identEnd + 1 || !Number.isFinite(time)) return null;
  // lighttpd always writes its user field (`-` when none) between the host and the date.
  if (lighttpd && dateOpen === identEnd + 1) return null;
  let user: string | undefined;
  if (dateOpen > identEnd + 1 && !isDash(line, identEnd + 1, dateOpen - 1)) {
    const raw = line.slice(identEnd + 1, dateOpen - 1);
    // The line reads another way with the client later: a vhost first (the Host header, spaces
    // and all: nginx before 1.21.1, Apache's %{Host}i) of `203.0.113.9 -` or `x 203.0.113.9 -`
    // makes `203.0.113.9 - 192.0.2.1 - - [date]`, whose "user" holds the real `CLIENT -`.
    // Which reading is the format's cannot be told from the line: dropped, never guessed.
    if (holdsClientField(raw)) return null;
    if (raw.length > 0) user = plain ? raw : unescapeLogField(raw);
  }
  const qEnd = plain ? line.indexOf('"', q + 1) : closingQuote(line, q + 1);
  if (qEnd < 0) return null;
  const request = plain ? line.slice(q + 1, qEnd) : unescapeLogField(line.slice(q + 1, qEnd));
  let i = qEnd + 1;
  let status: number | undefined;
  let bytes: number | undefined;
  if (line.charCodeAt(i) === 32) {
    const se = token(line, i + 1);
    if (se - i - 1 === 3 && digitsAt(line, i + 1, 3) >= 0) status = digitsAt(line, i + 1, 3);
    else if (se - i - 1 !== 1 || line.charCodeAt(i + 1) !== 45) return null;
    i = se;
    if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) !== 34) {
      const be = token(line, i + 1);
      const n = be - i - 1;
      if (n >= 1 && n <= 15 && digitsAt(line, i + 1, n) >= 0) bytes = digitsAt(line, i + 1, n);
      i = be;
    }
  }
  let referrer: string | undefined;
  let agent: string | undefined;
  if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) === 34) {
    const re = plain ? line.indexOf('"', i + 2) : closingQuote(line, i + 2);
    if (re > 0) {
      referrer = plain ? line.slice(i + 2, re) : unescapeLogField(line.slice(i + 2, re));
      i = re + 1;
      if (line.charCodeAt(i) === 32 && line.charCodeAt(i + 1) === 34) {
        const ue = plain ? line.indexOf('"', i + 2) : closingQuote(line, i + 2);
        if (ue > 0) agent = plain ? line.slice(i + 2, ue) : unescapeLogField(line.slice(i + 2, ue));
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
  const kind = a > 0 ? methodKind(request, a) : -1;
  if (kind >= 0) {
    const method = request.slice(0, a);
    // toUpperCase is a runtime call (~300 ns): methods are nearly always uppercase already.
    ev['http.request.method'] = kind === 0 ? method : method.toUpperCase();
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

/**
 * `request[0, end)` as a method (`[A-Za-z][A-Za-z_-]{0,31}`): 0 when it has no lowercase
 * letter, 1 when it has, -1 when it is not a method.
 */
function methodKind(request: string, end: number): number {
  if (end > 32) return -1;
  let lower = 0;
  for (let i = 0; i < end; i++) {
    const c = request.charCodeAt(i);
    if (c >= 65 && c <= 90) continue;
    if (c >= 97 && c <= 122) lower = 1;
    else if (i === 0 || (c !== 95 && c !== 45)) return -1;
  }
  return lower;
}

export function vhostFields(ev: EcsEvent, vhost: string): void {
  const c = vhost.lastIndexOf(':');
  const port = c > 0 ? toPort(vhost.slice(c + 1)) : undefined;
  const name = port !== undefined ? vhost.slice(0, c) : vhost;
  if (name.length > 0 && name !== '-') ev['url.domain'] = name;
  if (port !== undefined) ev['url.port'] = port;
}
