import type { ParsedLine } from '../../core/event.js';
import type { LineParser } from '../../core/parser.js';
import { defineParser } from '../define-parser.js';
import { createStream } from '../shared/stream.js';
import { joinRecords } from './join.js';
import { type AuditRecord, parseRecord } from './record.js';

/** What `snapshot` writes: the open event's record lines and events completed but not yet returned. */
interface AuditdState {
  readonly open: readonly string[];
  readonly ready: readonly ParsedLine[];
}

/** A kernel event holds a handful of records; more is a flood, and the event is cut there. */
const MAX_RECORDS = 64;

/**
 * auditd's audit.log (raw or enriched format, with or without `node=`, also behind a syslog
 * header). Records sharing `msg=audit(TIME:SERIAL)` are one event:
 *
 * - a kernel event (SYSCALL, EXECVE, CWD, PATH, PROCTITLE, ...) is emitted when its EOE
 *   record arrives, or, for logs written without EOE, when a kernel record of another serial
 *   arrives (the kernel writes one event's records together, so a new serial means the
 *   previous event is complete). An event still open at the end of a stream is emitted with
 *   the next kernel record only.
 * - a user-space record (USER_AUTH, USER_LOGIN, ... with `msg='...'`) is an event of its own,
 *   emitted at once.
 *
 * A line that completes two events (an open kernel event and a user-space record) returns
 * the first and the next line returns the second: one event per call, none dropped.
 */
export const auditdParser = defineParser({
  name: 'auditd',
  description: 'auditd audit.log records, joined per event serial into process and authentication events',
  create(ctx) {
    const stream = createStream(ctx);
    let open: AuditRecord[] = [];
    const ready: ParsedLine[] = [];
    const flush = (): void => {
      if (open.length > 0) ready.push(joinRecords(stream, open));
      open = [];
    };
    const parse: LineParser = (line) => {
      const rec = parseRecord(line);
      if (rec !== null) {
        const userSpace = rec.fields.has('msg') && rec.type !== 'SYSCALL';
        if (userSpace) ready.push(joinRecords(stream, [rec]));
        else {
          if (open.length > 0 && open[0]!.serial !== rec.serial) flush();
          if (rec.type === 'EOE') flush();
          else {
            open.push(rec);
            if (open.length >= MAX_RECORDS) flush();
          }
        }
      }
      return ready.shift() ?? null;
    };
    parse.drain = () => {
      flush();
      return ready.splice(0);
    };
    // The open event as its records' lines (parsed again on restore), the completed ones as
    // they are: both would otherwise be lost by a restart after their lines' checkpoint.
    parse.snapshot = () =>
      open.length === 0 && ready.length === 0
        ? undefined
        : JSON.stringify({ open: open.map((r) => r.line), ready } satisfies AuditdState);
    parse.restore = (text) => {
      const state = JSON.parse(text) as Partial<AuditdState>;
      if (Array.isArray(state.open))
        for (const line of state.open) {
          const rec = typeof line === 'string' ? parseRecord(line) : null;
          if (rec !== null) open.push(rec);
        }
      if (Array.isArray(state.ready))
        for (const p of state.ready)
          if (typeof p?.time === 'number' && typeof p.event === 'object' && p.event !== null) ready.push(p);
    };
    return parse;
  },
});
