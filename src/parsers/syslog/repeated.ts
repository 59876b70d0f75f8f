import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { digitsAt } from '../shared/time.js';
import { type Envelope, MAX_REPEAT } from './envelope.js';

/**
 * The line a syslog daemon's repeat notice refers to: the last line of the stream, as read.
 * sysklogd and the BSD syslogds compress identical consecutive messages into
 * `last message repeated N times`, syslog-ng (`suppress()`) into
 * `Last message 'FIRST 20 CHARS' repeated N times, suppressed by syslog-ng on HOST`; both write
 * the notice before any other line, so it always means the line just before it.
 */
export interface LastLine {
  readonly host: string | undefined;
  /** The envelope's message, to check syslog-ng's quoted prefix against. */
  readonly msg: string;
  /** Undefined when there is no line to repeat (none yet, or the last one was dropped). */
  readonly event: EcsEvent | undefined;
}

const SYSLOG_NG_HEAD = "Last message '";
const SYSLOG_NG_TAIL = ', suppressed by syslog-ng on ';

/** `N` of `last message repeated N times` / `--- last message repeated N times ---`; 0 when not that notice. */
function classicCount(msg: string): number {
  let i = 0;
  let end = msg.length;
  if (msg.startsWith('--- ') && msg.endsWith(' ---')) {
    i = 4;
    end -= 4;
  }
  if (!msg.startsWith('last message repeated ', i)) return 0;
  i += 22;
  const sp = msg.indexOf(' ', i);
  if (sp < 0 || sp - i > 9) return 0;
  const tail = msg.slice(sp, end);
  if (tail !== ' times' && tail !== ' time') return 0;
  return digitsAt(msg, i, sp - i);
}

/**
 * How many more times `last` occurred according to `env`'s notice, at most MAX_REPEAT; 0 when
 * `env` is no repeat notice, or one that does not fit `last` (another host, or syslog-ng's
 * quoted start differs): such a line is read as an ordinary one.
 */
export function repeatCount(env: Envelope, last: LastLine): number {
  const msg = env.msg;
  const c = msg.charCodeAt(0);
  let n = 0;
  if (c === 76 /* L */ && msg.startsWith(SYSLOG_NG_HEAD)) {
    const tail = msg.lastIndexOf(SYSLOG_NG_TAIL);
    const rep = msg.lastIndexOf("' repeated ", tail);
    if (tail < 0 || rep < SYSLOG_NG_HEAD.length - 1) return 0;
    const count = msg.slice(rep + 11, tail);
    if (!count.endsWith(' times')) return 0;
    n = digitsAt(count, 0, count.length - 6);
    const prefix = msg.slice(SYSLOG_NG_HEAD.length, rep);
    if (n < 1 || !last.msg.startsWith(prefix)) return 0;
  } else if ((c === 108 /* l */ || c === 45) /* - */ && env.program === undefined) {
    n = classicCount(msg);
  } else return 0;
  if (n < 1 || last.event === undefined || last.host !== env.host) return 0;
  return Math.min(n, MAX_REPEAT);
}

/**
 * The event a repeat notice stands for: the `repeated` event's fields at the notice's time, with the notice
 * as `message` (the evidence shows what was written) and `leuko.repeated`, `count` times.
 */
export function repeatedLine(line: string, time: number, repeated: EcsEvent, count: number): ParsedLine {
  const event: EcsEvent = {
    ...repeated,
    '@timestamp': new Date(time).toISOString(),
    message: line,
    'leuko.repeated': count,
  };
  return { time, event, repeat: count };
}
