import type { ParsedLine } from '../../core/event.js';
import type { LineParser, ParseContext } from '../../core/parser.js';
import { defineParser } from '../define-parser.js';
import { createStream, type Stream } from '../shared/stream.js';
import { createSyslogDispatcher, type Family, familyOf } from '../syslog/dispatch.js';
import { parseEnvelope } from '../syslog/envelope.js';
import { withDispatcherState } from '../syslog/line-parser.js';
import { isAccessShaped, parseAccess, parseNpmAccess } from './access.js';
import { fillAccess } from './access-event.js';
import { apacheErrorTime, fillApacheError } from './apache-error.js';
import { fillNginxError, nginxErrorHead } from './nginx-error.js';
import { withNginxRecordGate } from './nginx-records.js';

/** An access line (combined, common, vhost, extra fields, NPM) as an event of `dataset`. */
export function accessLine(stream: Stream, line: string, dataset: string): ParsedLine | null {
  const r = parseAccess(line) ?? parseNpmAccess(line);
  if (r === null) return null;
  const ev = stream.event(line, r.time, dataset);
  fillAccess(ev, r);
  return stream.done(ev, r.time);
}

export function nginxErrorLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const head = nginxErrorHead(line, 0, stream.local);
  if (head === null) return undefined;
  const ev = stream.event(line, head.time, 'nginx.error');
  return fillNginxError(ev, line, head) ? stream.done(ev, head.time) : null;
}

export function apacheErrorLine(stream: Stream, line: string): ParsedLine | null {
  const t = apacheErrorTime(line, stream.local);
  if (t === null) return null;
  const ev = stream.event(line, t[0], 'apache.error');
  return fillApacheError(ev, line, t[1]) ? stream.done(ev, t[0]) : null;
}

/**
 * Native lines first; lines sent through syslog (`nginx: ...`, `httpd[1]: ...`) next. A tag
 * the dispatcher does not know (`nginx_access:`) is read as this format.
 */
function webParser(
  ctx: ParseContext,
  native: (s: Stream, line: string) => ParsedLine | null | undefined,
  family: Family,
  nginxRecords = false,
): LineParser {
  const stream = createStream(ctx);
  const d = createSyslogDispatcher(stream);
  const parse = withDispatcherState((line) => {
    const r = native(stream, line);
    if (r !== undefined && r !== null) return r;
    const env = parseEnvelope(line, stream);
    if (env === null) return null;
    const known = env.program === undefined ? undefined : familyOf(env.program);
    // Another program's record shaped like an access line is one with the client's Host header
    // written first, spaces and all (`Jun 14 09:00:00 x postfix/smtpd[1]: warning:
    // unknown[203.0.113.9]: SASL LOGIN authentication failed: x 192.0.2.1 - - [date] "GET..."`).
    if (known !== undefined && known !== family && isAccessShaped(line)) return null;
    return d.handle(line, env, known === undefined ? family : undefined);
  }, d);
  // nginx's error log: a record whose path held a line break is several lines (nginx-records.ts).
  return nginxRecords ? withNginxRecordGate(parse, stream, 'nginx-error') : parse;
}

export const nginxParser = defineParser({
  name: 'nginx',
  description: 'nginx access log: combined, common, vhost-prefixed, extra trailing fields, nginx-proxy-manager',
  create: (ctx) => webParser(ctx, (s, l) => accessLine(s, l, 'nginx.access'), 'nginx'),
});

export const apacheParser = defineParser({
  name: 'apache',
  description: 'Apache access log: combined, common, vhost_combined, extra trailing fields',
  create: (ctx) => webParser(ctx, (s, l) => accessLine(s, l, 'apache.access'), 'apache'),
});

export const nginxErrorParser = defineParser({
  name: 'nginx-error',
  description: 'nginx error log (basic-auth failures, limits, client of each record)',
  create: (ctx) => webParser(ctx, nginxErrorLine, 'nginx', true),
});

export const apacheErrorParser = defineParser({
  name: 'apache-error',
  description: 'Apache error log 2.2/2.4, also via ErrorLog syslog (auth failures, denials)',
  create: (ctx) => webParser(ctx, apacheErrorLine, 'apache'),
});
