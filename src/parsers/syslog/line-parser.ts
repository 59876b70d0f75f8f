import type { ParsedLine } from '../../core/event.js';
import type { LineParser, ParseContext } from '../../core/parser.js';
import { createStream, type Stream } from '../shared/stream.js';
import { createSyslogDispatcher, type Family, type SyslogDispatcher } from './dispatch.js';
import { type Envelope, parseEnvelope, timelessEnvelope } from './envelope.js';

/** A message without envelope, read as `family` at the current time (e.g. `sshd -D -e` output). */
export function bareMessage(line: string, stream: Stream, d: SyslogDispatcher, family: Family): ParsedLine | null {
  const msg = line.trimEnd();
  if (msg.length === 0) return null;
  const env: Envelope = {
    time: stream.ctx.clock.now(),
    host: undefined,
    program: undefined,
    pid: undefined,
    msg,
    facility: undefined,
    severity: undefined,
    repeat: 1,
  };
  const r = d.handle(line, env, family);
  // A bare line only counts when it is recognizably this program's message.
  return r !== null && r.event['event.action'] !== undefined ? r : null;
}

/** A `HOST PROG[PID]: MSG` line without time (see timelessEnvelope), when its program's handler recognizes the message. */
export function timelessLine(line: string, stream: Stream, d: SyslogDispatcher): ParsedLine | null {
  const env = timelessEnvelope(line, stream);
  if (env === null) return null;
  const r = d.handle(line, env);
  return r !== null && r.event['event.action'] !== undefined ? r : null;
}

/**
 * Lines with a syslog envelope dispatch on their program name, whatever the configured
 * format: `format: sshd` on /var/log/auth.log still reads that file's sudo, su and PAM lines.
 * The format only says how to read a line without an envelope (`family`'s bare message).
 */
export function createSyslogLineParser(ctx: ParseContext, family?: Family): LineParser {
  const stream = createStream(ctx);
  const d = createSyslogDispatcher(stream);
  const parse: LineParser = (line) => {
    const env = parseEnvelope(line, stream);
    if (env !== null) return d.handle(line, env);
    return timelessLine(line, stream, d) ?? (family === undefined ? null : bareMessage(line, stream, d, family));
  };
  return withDispatcherState(parse, d);
}

/**
 * `parse`, whose snapshot is what its dispatcher's handlers remember (see LineParser.snapshot):
 * every format that reads syslog lines through a dispatcher keeps sshd's and Dovecot's memory
 * across a restart.
 */
export function withDispatcherState(parse: LineParser, d: SyslogDispatcher): LineParser {
  parse.snapshot = () => dispatcherSnapshot(d);
  parse.restore = (text) => {
    restoreDispatcher(d, text);
  };
  return parse;
}

/** A parser snapshot holding what the dispatcher's handlers remember; undefined when nothing. */
export function dispatcherSnapshot(d: SyslogDispatcher, extra?: Record<string, unknown>): string | undefined {
  const handlers = d.snapshot();
  if (handlers === undefined && (extra === undefined || Object.keys(extra).length === 0)) return undefined;
  return JSON.stringify({ ...(handlers === undefined ? {} : { handlers }), ...extra });
}

/** Give the dispatcher its part of a `dispatcherSnapshot`; returns the whole state read. */
export function restoreDispatcher(d: SyslogDispatcher, text: string): Record<string, unknown> {
  const state = JSON.parse(text) as unknown;
  if (typeof state !== 'object' || state === null) return {};
  const o = state as Record<string, unknown>;
  d.restore(o.handlers);
  return o;
}
