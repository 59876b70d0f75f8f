import type { ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { digitsAt } from '../shared/time.js';
import { fillAccess } from './access-event.js';

/**
 * IIS's W3C extended access log in the fields IIS 7 and later log by default:
 * `date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent)
 * cs(Referer) sc-status sc-substatus sc-win32-status time-taken`, in UTC, `-` for an empty field.
 * IIS writes a space inside a field as `+`, so a line of this log is exactly 15 words: one
 * more means a field was not IIS's, and the line is not read. The client is the ninth word,
 * after the URI and before the user agent and referrer, at a place no request text can move.
 */
const WORDS = 15;
const METHOD = /^[A-Za-z][A-Za-z_-]{0,31}$/;

export function iisLine(stream: Stream, line: string): ParsedLine | undefined {
  if (line.charCodeAt(4) !== 45 || line.charCodeAt(10) !== 32 || line.charCodeAt(13) !== 58) return undefined;
  const w = line.split(' ');
  if (w.length !== WORDS) return undefined;
  const [date, time, server, method, stem, query, port, user, client, agent, referrer, status, sub, win32, taken] =
    w as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
  if (date.length !== 10 || time.length !== 8 || time.charCodeAt(5) !== 58) return undefined;
  if (!METHOD.test(method) || stem.charCodeAt(0) !== 47) return undefined;
  if (!/^\d{1,5}$/.test(port) || !/^\d{3}$/.test(status)) return undefined;
  if (!/^\d{1,10}$/.test(sub) || !/^\d{1,10}$/.test(win32) || !/^\d{1,10}$/.test(taken)) return undefined;
  if (normalizeIp(server) === undefined) return undefined;
  const ip = normalizeIp(client);
  if (ip === undefined) return undefined;
  const y = digitsAt(date, 0, 4);
  const mo = digitsAt(date, 5, 2);
  const d = digitsAt(date, 8, 2);
  const h = digitsAt(time, 0, 2);
  const mi = digitsAt(time, 3, 2);
  const s = digitsAt(time, 6, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || s < 0) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const ev = stream.event(line, t, 'iis.access');
  fillAccess(ev, {
    time: t,
    ip,
    vhost: undefined,
    user: user === '-' ? undefined : user,
    request: `${method} ${query === '-' ? stem : `${stem}?${query}`}`,
    status: Number(status),
    bytes: undefined,
    referrer,
    agent: agent.replace(/\+/g, ' '),
  });
  ev['destination.port'] = Number(port);
  return stream.done(ev, t);
}
