import { normalizeIp } from '../shared/address.js';
import { digitsAt, fractionAt, type LocalTime } from '../shared/time.js';
import type { TrustedClient } from './message.js';

export interface PostgresHead {
  readonly time: number;
  /** Where the rest of the prefix, the level and the message start. */
  readonly body: number;
  readonly pid: number | undefined;
  readonly trusted: TrustedClient | undefined;
}

/** `IP(PORT)` or `IP` as `%r` / `%h` write it. */
function clientOf(text: string): TrustedClient | undefined {
  const open = text.indexOf('(');
  const host = open < 0 ? text : text.slice(0, open);
  const port = open < 0 || !text.endsWith(')') ? undefined : digitsAt(text, open + 1, text.length - open - 2);
  // Not parsePeer: its cache of recent peers is for the addresses of a stream's lines.
  const ip = normalizeIp(host);
  if (ip === undefined) return undefined;
  return { peer: { ip }, port: port === undefined || port < 0 || port > 65535 ? undefined : port };
}

/**
 * The head of a record in PostgreSQL's own log (`logging_collector`, stderr), with the
 * `log_line_prefix` layouts that put nothing the client chose before what is read here:
 *
 * - `%m [%p] ` / `%t [%p] ` (Debian's and the docker image's default): time, zone, `[pid]`;
 * - `%h %m [%p] ` (Supabase): the client's address first on the line;
 * - `%t:%r:%u@%d:[%p]:` (Amazon RDS and Aurora, not changeable there): the address right
 *   after the zone.
 *
 * The time zone is `log_timezone`'s abbreviation: UTC/GMT and numeric offsets are exact,
 * other names are read in the machine's zone. Returns null when the line is not such a record.
 */
export function postgresNativeHead(line: string, local: LocalTime): PostgresHead | null {
  let i = 0;
  let trusted: TrustedClient | undefined;
  const c0 = line.charCodeAt(0);
  // A leading address: `%h` (or `%r`) first, then the time.
  if (!(c0 >= 48 && c0 <= 57 && line.charCodeAt(4) === 45)) {
    const sp = line.indexOf(' ');
    if (sp < 3 || sp > 60) return null;
    trusted = clientOf(line.slice(0, sp));
    if (trusted === undefined) return null;
    i = sp + 1;
  }
  // Separators first: most digit-led lines (ISO syslog's `T`) fail here, before any number is read.
  if (line.charCodeAt(i + 10) !== 32 || line.charCodeAt(i + 13) !== 58) return null;
  const y = digitsAt(line, i, 4);
  const mo = digitsAt(line, i + 5, 2);
  const d = digitsAt(line, i + 8, 2);
  const h = digitsAt(line, i + 11, 2);
  const mi = digitsAt(line, i + 14, 2);
  const s = digitsAt(line, i + 17, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || s < 0) return null;
  if (line.charCodeAt(i + 4) !== 45 || line.charCodeAt(i + 7) !== 45 || line.charCodeAt(i + 10) !== 32) return null;
  if (line.charCodeAt(i + 13) !== 58 || line.charCodeAt(i + 16) !== 58) return null;
  let j = i + 19;
  let ms = 0;
  if (line.charCodeAt(j) === 46) [ms, j] = fractionAt(line, j + 1);
  if (line.charCodeAt(j) !== 32) return null;
  // The zone: a name (UTC, CET, EST5EDT...) or a numeric offset (+03, -0530).
  const zoneStart = j + 1;
  let k = zoneStart;
  while (k < line.length && k - zoneStart < 32) {
    const c = line.charCodeAt(k);
    if (c === 32 || c === 58) break;
    k++;
  }
  const zone = line.slice(zoneStart, k);
  if (zone.length === 0) return null;
  let time: number;
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') time = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  else if (/^[+-]\d\d(?::?\d\d)?$/.test(zone)) {
    const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    time = Date.UTC(y, mo - 1, d, h, mi, s, ms) - sign * (oh * 60 + om) * 60_000;
  } else if (/^[A-Za-z][A-Za-z0-9+-]*$/.test(zone)) time = local(y, mo - 1, d, h, mi, s, ms);
  else return null;
  if (!Number.isFinite(time)) return null;
  let pid: number | undefined;
  let body = k;
  if (line.charCodeAt(k) === 58) {
    // RDS: `zone:host(port):user@db:[pid]:LEVEL:` (the address, when not a local socket, first).
    const end = line.indexOf(':', k + 1);
    if (end < 0) return null;
    trusted ??= clientOf(line.slice(k + 1, end));
    // The pid is the last `:[digits]:` before the level: the database name before it is client text.
    const level = line.search(/:(?:LOG|FATAL|ERROR|WARNING|PANIC|DETAIL|HINT|STATEMENT): {2}/);
    if (level < 0) return null;
    const open = line.lastIndexOf(':[', level);
    if (open > end && line.charCodeAt(level - 1) === 93) {
      const p = digitsAt(line, open + 2, level - open - 3);
      if (p >= 0) pid = p;
    }
    body = end;
  } else if (line.charCodeAt(k + 1) === 91) {
    // `[pid]` right after the zone.
    const close = line.indexOf(']', k + 2);
    const p = close < 0 ? -1 : digitsAt(line, k + 2, close - k - 2);
    if (p >= 0 && (line.charCodeAt(close + 1) === 32 || line.charCodeAt(close + 1) === 58)) {
      pid = p;
      body = close + 1;
    }
  }
  return { time, body, pid, trusted };
}
