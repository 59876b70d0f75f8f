import type { ParsedLine } from '../../core/event.js';
import { defineParser } from '../define-parser.js';
import { createStream, type Stream } from '../shared/stream.js';
import { createSyslogDispatcher, type SyslogDispatcher } from '../syslog/dispatch.js';
import { parseEnvelope } from '../syslog/envelope.js';
import { withDispatcherState } from '../syslog/line-parser.js';
import { hasPostgresLevel } from './message.js';
import { postgresNativeHead } from './native.js';

/**
 * A line of PostgreSQL's own log (`2024-05-02 10:00:01.123 UTC [4242] bob@shop FATAL:  ...`),
 * read by the stream's postgres handler; undefined when the line is not one.
 */
export function postgresLine(stream: Stream, d: SyslogDispatcher, line: string): ParsedLine | null | undefined {
  const head = postgresNativeHead(line, stream.local);
  if (head === null || !hasPostgresLevel(line, head.body)) return undefined;
  return d.handle(
    line,
    {
      time: head.time,
      host: undefined,
      program: 'postgres',
      pid: undefined,
      msg: line,
      facility: undefined,
      severity: undefined,
      repeat: 1,
    },
    'postgresql',
  );
}

export const postgresqlParser = defineParser({
  name: 'postgresql',
  description: 'PostgreSQL log (own file or syslog): failed and accepted logins, with the client of each backend',
  create(ctx) {
    const stream = createStream(ctx);
    const d = createSyslogDispatcher(stream);
    return withDispatcherState((line) => {
      const own = postgresLine(stream, d, line);
      if (own !== undefined) return own;
      const env = parseEnvelope(line, stream);
      return env === null ? null : d.handle(line, env);
    }, d);
  },
});
