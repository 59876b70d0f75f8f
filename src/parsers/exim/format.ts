import type { ParsedLine } from '../../core/event.js';
import { defineParser } from '../define-parser.js';
import { createStream, type Stream } from '../shared/stream.js';
import { createSyslogDispatcher } from '../syslog/dispatch.js';
import { parseEnvelope } from '../syslog/envelope.js';
import { bareMessage, withDispatcherState } from '../syslog/line-parser.js';
import { fillExim } from './handler.js';
import { eximHead, isEximMessage } from './native.js';

/**
 * An Exim mainlog line (`2022-06-29 16:04:05 [pid] MESSAGE`) as an `exim` event, or null when
 * the line is not one. `anyMessage` takes any message after the timestamp (the `exim` format,
 * told so by the config); auto-detection takes only messages in Exim's own shapes.
 */
export function eximLine(stream: Stream, line: string, anyMessage: boolean): ParsedLine | null | undefined {
  const head = eximHead(line, stream.local);
  if (head === null || !(anyMessage || isEximMessage(line, head[1]))) return undefined;
  const ev = stream.event(line, head[0], 'exim');
  if (!fillExim(line.slice(head[1]).trimEnd(), ev)) return null;
  return stream.done(ev, head[0]);
}

export const eximParser = defineParser({
  name: 'exim',
  description: 'Exim mainlog (/var/log/exim4/mainlog) or its syslog lines: failed AUTH, rejects, logins',
  create(ctx) {
    const stream = createStream(ctx);
    const d = createSyslogDispatcher(stream);
    return withDispatcherState((line) => {
      // `2019-10-22 03:39:17 mx1 exim[29786]: ...` has a mainlog's date but a syslog envelope.
      const native = eximLine(stream, line, false);
      if (native !== undefined) return native;
      // Without a program name, the "envelope" is only a mainlog date and a first word.
      const env = parseEnvelope(line, stream);
      if (env !== null && env.program !== undefined) return d.handle(line, env);
      const any = eximLine(stream, line, true);
      if (any !== undefined) return any;
      return env !== null ? d.handle(line, env) : bareMessage(line, stream, d, 'exim');
    }, d);
  },
});
