import type { ParsedLine } from '../../core/event.js';
import { defineParser } from '../define-parser.js';
import type { Stream } from '../shared/stream.js';
import { createStream } from '../shared/stream.js';
import { createSyslogDispatcher } from '../syslog/dispatch.js';
import { parseEnvelope } from '../syslog/envelope.js';
import { bareMessage, withDispatcherState } from '../syslog/line-parser.js';
import { vsftpdHead, vsftpdRecord } from './vsftpd.js';

/** A line of vsftpd's own log (`Www Mmm d hh:mm:ss yyyy [pid N] ...`); undefined when not one. */
export function vsftpdLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const head = vsftpdHead(line, stream.local);
  if (head === null) return undefined;
  const ev = stream.event(line, head[0], 'vsftpd');
  ev['process.name'] = 'vsftpd';
  if (!vsftpdRecord(line.slice(head[1]), ev)) return null;
  return stream.done(ev, head[0]);
}

export const vsftpdParser = defineParser({
  name: 'vsftpd',
  description: 'vsftpd: its own log (vsftpd.log) and its syslog and PAM records',
  create(ctx) {
    const stream = createStream(ctx);
    const d = createSyslogDispatcher(stream);
    return withDispatcherState((line) => {
      const own = vsftpdLine(stream, line);
      if (own !== undefined) return own;
      const env = parseEnvelope(line, stream);
      if (env !== null) return d.handle(line, env);
      return bareMessage(line, stream, d, 'vsftpd');
    }, d);
  },
});
