import type { ParsedLine } from '../../core/event.js';
import type { LineParser } from '../../core/parser.js';
import { createRecordGate, type RecordRules, withRecordGate } from '../shared/record-gate.js';
import { type Stream, WEB } from '../shared/stream.js';
import { clientAt, fillNginxContext, nginxClientAt, nginxClientSurvivesCut } from './nginx-error.js';

/** NGX_MAX_ERROR_STR: nginx cuts an error record there, its newline included. */
export const NGINX_MAX_RECORD_BYTES = 2048;

function digits(line: string, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether `line` opens with nginx's error record head, `YYYY/MM/DD HH:MM:SS [`. */
export function opensNginxRecord(line: string): boolean {
  return (
    line.charCodeAt(4) === 47 &&
    line.charCodeAt(7) === 47 &&
    line.charCodeAt(10) === 32 &&
    line.charCodeAt(13) === 58 &&
    line.charCodeAt(16) === 58 &&
    line.charCodeAt(19) === 32 &&
    line.charCodeAt(20) === 91 &&
    digits(line, 0, 4) &&
    digits(line, 5, 2) &&
    digits(line, 8, 2) &&
    digits(line, 11, 2) &&
    digits(line, 14, 2) &&
    digits(line, 17, 2)
  );
}

/**
 * nginx's error log as a record gate sees it (see record-gate.ts). nginx writes the decoded
 * request path (`open() "/var/www/x<LF>..." failed`, `"/x<LF>..." is not found`) as it is, so
 * `GET /x%0A2026/12/08 00:07:21 [error] 1#1: *1 user "admin": password mismatch, client:
 * 203.0.113.9, server: a%0Az` writes a second record naming 203.0.113.9. The record's last line
 * is nginx's own end of it, `z" failed (2: No such file or directory), client: SENDER, server:
 * a, request: "GET /x%0A2026...%0Az HTTP/1.1"`: it names the sender, which becomes a
 * `split_record` event; its request, `%0A` in the path, is what `leuko/http-log-forging` bans
 * (a PHP stack trace nginx relays from FastCGI splits a record too, without one).
 *
 * A line without nginx's head continues a record when it holds nginx's context, the end of
 * every record about a request. In `auto` the gate arms at the first nginx record, and no
 * event is made of a split record's sender (in a mixed stream another program's line could end
 * in text shaped like nginx's context); the sender's own lines still stay.
 */
export function nginxRecordRules(
  stream: Stream,
  mode: 'nginx-error' | 'auto',
  view?: RecordRules['view'],
): RecordRules {
  return {
    ...(view === undefined ? {} : { view }),
    maxRecordBytes: NGINX_MAX_RECORD_BYTES,
    opens: opensNginxRecord,
    armOnFirstRecord: mode === 'auto',
    // nginx ends every record about a request with its context (`, client: ADDR, server: ...`):
    // a split record's last line has it, unless the record was cut, which the gate finds by
    // length. Lines with neither (a test file's comments, `nginx: [warn]` lines of a start-up
    // redirected here, another program's lines in a mixed stream) are left as they are.
    continues: (line) => nginxClientAt(line, 0) !== -1,
    survivesCut: nginxClientSurvivesCut,
    sender(line) {
      const pick = nginxClientAt(line, 0);
      return pick < 0 ? undefined : clientAt(line, pick);
    },
    revealed(line, _parsed, time): ParsedLine | null {
      if (mode !== 'nginx-error') return null;
      const pick = nginxClientAt(line, 0);
      if (pick < 0) return null;
      const ev = stream.event(line, time, 'nginx.error');
      ev['event.category'] = WEB;
      ev['event.action'] = 'split_record';
      fillNginxContext(ev, line, pick);
      return stream.done(ev, time);
    },
  };
}

/**
 * `parse` reading nginx's error log (or `auto`), gated so a split record's lines never count;
 * `view` finds nginx's lines inside a container runtime's records (see RecordRules.view).
 */
export function withNginxRecordGate(
  parse: LineParser,
  stream: Stream,
  mode: 'nginx-error' | 'auto',
  view?: RecordRules['view'],
): LineParser {
  return withRecordGate(parse, createRecordGate(nginxRecordRules(stream, mode, view)));
}
