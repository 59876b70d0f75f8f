import type { Stream } from '../shared/stream.js';
import type { Envelope } from '../syslog/envelope.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { createPostgresReader } from './message.js';
import { postgresNativeHead } from './native.js';

/** `[3-1] ` before a record sent to syslog: PostgreSQL's line number within the record. */
const SYSLOG_SEQUENCE = /^\[\d+-\d+\] /;

/**
 * postgres (and postmaster): authentication records through syslog (`syslog_sequence_numbers`
 * prefix), a whole own-log record inside a syslog or container message, or, from the
 * `postgresql` format, a line of PostgreSQL's own log (see native.ts). One reader per stream
 * remembers each backend's client (see message.ts).
 */
export function createPostgresHandler(stream: Stream): ProgramHandler {
  const reader = createPostgresReader();
  const handler: ProgramHandler = (env: Envelope, ev) => {
    const m = env.msg;
    const head = postgresNativeHead(m, stream.local);
    if (head !== null) reader.read(m.slice(head.body), head.pid, head.trusted, ev);
    else {
      const seq = SYSLOG_SEQUENCE.exec(m);
      reader.read(seq === null ? m : m.slice(seq[0].length), env.pid, undefined, ev);
    }
    return true;
  };
  handler.snapshot = reader.snapshot;
  handler.restore = reader.restore;
  return handler;
}
