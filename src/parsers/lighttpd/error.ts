import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { localDateTimeAt } from '../shared/time.js';

/**
 * lighttpd's mod_auth (http_auth before 1.4.46) refusals, ending with the client the server
 * saw: `password doesn't match for URI username: U, IP: ADDR`, `digest: auth failed for U :
 * wrong password, IP: ADDR`, `get_password failed, IP: ADDR`. The URI and user name come
 * first; the address is the line's last word, so text planted in them never takes its place.
 */
const AUTH = /^\(?(?:http|mod)_auth\.c\.\d+\) (.*?),? IP: (\S+)$/;
const USER = /(?:username: (.*?)|auth failed for {1,2}(.*?) : [^,]*)$/;

/** The time of `YYYY-MM-DD HH:MM:SS: ` at the start of an error-log line, and where the message starts. */
function lighttpdHead(line: string, stream: Stream): [number, number] | null {
  if (line.charCodeAt(19) !== 58 || line.charCodeAt(20) !== 32) return null;
  const time = localDateTimeAt(line, 45, stream.local);
  return Number.isFinite(time) ? [time, 21] : null;
}

/** Read a lighttpd error message (own file or syslog) into `ev`. */
export function fillLighttpdError(ev: EcsEvent, msg: string): void {
  const a = AUTH.exec(msg);
  if (a === null) return;
  if (!setSource(ev, a[2]!)) return;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'http_auth_failure';
  ev['event.outcome'] = 'failure';
  const u = USER.exec(a[1]!);
  const user = u === null ? undefined : (u[1] ?? u[2]);
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
}

/** A line of lighttpd's error log (`server.errorlog`); undefined when the line is not one. */
export function lighttpdErrorLine(stream: Stream, line: string): ParsedLine | undefined {
  const head = lighttpdHead(line, stream);
  if (head === null) return undefined;
  const ev = stream.event(line, head[0], 'lighttpd.error');
  fillLighttpdError(ev, line.slice(head[1]));
  return stream.done(ev, head[0]);
}

/** lighttpd through syslog (`server.errorlog-use-syslog`). */
export function createLighttpdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'lighttpd.error';
    fillLighttpdError(ev, env.msg);
    return true;
  };
}
