import { digitsAt, fractionAt, isoAt, monthAt } from '../shared/time.js';
import type { Stream } from '../shared/stream.js';
import { createNameCache } from './name-cache.js';

/** The syslog-style wrapper around a program's message. */
export interface Envelope {
  readonly time: number;
  readonly host: string | undefined;
  /** Program as logged without the pid: `sshd`, `postfix/smtpd`, `auth-worker(22401)`. */
  readonly program: string | undefined;
  readonly pid: number | undefined;
  /** The message, trailing whitespace removed. */
  readonly msg: string;
  readonly facility: number | undefined;
  readonly severity: number | undefined;
  /**
   * How many times the message occurred: rsyslog's RepeatedMsgReduction writes five identical
   * messages as one `message repeated 5 times: [ MSG]`, whose `msg` here is the inner MSG. 1
   * for every other line.
   */
  readonly repeat: number;
}

/** Most occurrences one `message repeated N times` line stands for (bounds detection work per line). */
export const MAX_REPEAT = 1000;

const MAX_PROGRAM = 96;

/**
 * The one envelope `parseEnvelope` fills and returns, valid until its next call. An envelope
 * lives for one line: every caller hands it straight to the dispatcher, whose handlers read
 * its fields into the event and keep nothing of it (nor parse another line meanwhile). Reusing
 * it spares an object per line, which the replay pays for again in every young-generation GC.
 */
const scratch: { -readonly [K in keyof Envelope]: Envelope[K] } = {
  time: 0,
  host: undefined,
  program: undefined,
  pid: undefined,
  msg: '',
  facility: undefined,
  severity: undefined,
  repeat: 1,
};

// Module-wide, as the names are only string objects to share (see name-cache.ts); hosts and
// programs apart, so each list stays short.
const hostAt = createNameCache();
const programAt = createNameCache();

/**
 * Parse the envelope of a syslog-ish line without regexes: RFC 3164 (`Mmm dd hh:mm:ss host
 * prog[pid]: msg`, with or without host), rsyslog ISO timestamps, RFC 5424, `<PRI>` prefixes
 * from a syslog listener, `journalctl -o short`, TAI64N stamps (daemontools/multilog) and
 * `YYYY-MM-DD hh:mm:ss prog: msg`. Returns null when the line has no such envelope. The
 * envelope returned is reused by the next call: read it before parsing another line.
 */
export function parseEnvelope(line: string, stream: Stream): Envelope | null {
  let i = 0;
  let facility: number | undefined;
  let severity: number | undefined;
  if (line.charCodeAt(0) === 60) {
    const close = line.indexOf('>');
    if (close < 2 || close > 4) return null;
    const pri = digitsAt(line, 1, close - 1);
    if (pri < 0 || pri > 191) return null;
    facility = pri >> 3;
    severity = pri & 7;
    i = close + 1;
    const v = line.charCodeAt(i);
    if (v >= 49 && v <= 57 && line.charCodeAt(i + 1) === 32) return parse5424(line, i + 2, stream, facility, severity);
  }
  let time: number;
  const c = line.charCodeAt(i);
  const mo = monthAt(line, i);
  if (mo >= 0 && line.charCodeAt(i + 3) === 32) {
    // "Mmm dd hh:mm:ss" with the day space-padded or not.
    let j = i + 4;
    if (line.charCodeAt(j) === 32) j++;
    let d = digitsAt(line, j, 2);
    if (d >= 0) j += 2;
    else {
      d = digitsAt(line, j, 1);
      j += 1;
    }
    if (d < 1 || line.charCodeAt(j) !== 32) return null;
    // macOS's system.log with the year before the time: "Mmm dd yyyy hh:mm:ss".
    let year = -1;
    if (line.charCodeAt(j + 3) !== 58 && line.charCodeAt(j + 5) === 32) {
      year = digitsAt(line, j + 1, 4);
      if (year < 1970) return null;
      j += 5;
    }
    const h = digitsAt(line, j + 1, 2);
    const mi = digitsAt(line, j + 4, 2);
    const s = digitsAt(line, j + 7, 2);
    if (h < 0 || mi < 0 || s < 0 || line.charCodeAt(j + 3) !== 58 || line.charCodeAt(j + 6) !== 58) return null;
    j += 9;
    let ms = 0;
    if (line.charCodeAt(j) === 46) [ms, j] = fractionAt(line, j + 1);
    // Some writers append the year: "Mmm dd hh:mm:ss yyyy".
    if (year < 0 && line.charCodeAt(j) === 32) {
      const y = digitsAt(line, j + 1, 4);
      if (y >= 1970 && line.charCodeAt(j + 5) === 32) {
        year = y;
        j += 5;
      }
    }
    time = year >= 1970 ? stream.local(year, mo, d, h, mi, s, ms) : stream.guessYear(mo, d, h, mi, s, ms);
    i = j;
  } else if (c >= 48 && c <= 57) {
    const iso = isoAt(line, i, stream.local);
    if (iso === undefined) return null;
    [time, i] = iso;
  } else if (c === 64 && line.length > 25) {
    const t = tai64nAt(line, i + 1);
    if (t === undefined) return null;
    time = t;
    i += 25;
  } else return null;
  if (!Number.isFinite(time) || line.charCodeAt(i) !== 32) return null;
  while (line.charCodeAt(i) === 32) i++;
  return splitHostProgram(line, i, time, facility, severity);
}

/**
 * `HOST PROG[PID]: MSG` without a time: a journal entry as fail2ban's systemd backend renders
 * it (its `sshd-journal` samples), and as some exporters write entries whose time travels
 * apart. Stamped with the parser's now. Only that strict shape counts (a host token, then a
 * program with a numeric pid and the colon), so free text is not read as a syslog line.
 */
export function timelessEnvelope(line: string, stream: Stream): Envelope | null {
  const sp = line.indexOf(' ');
  if (sp < 1 || isProgramAt(line, 0, sp)) return null;
  const end = line.indexOf(' ', sp + 1);
  if (end < 0 || line.charCodeAt(end - 1) !== 58 || line.charCodeAt(end - 2) !== 93) return null;
  const env = splitHostProgram(line, 0, stream.ctx.clock.now(), undefined, undefined);
  return env.host !== undefined && env.program !== undefined && env.pid !== undefined && env.pid >= 0 ? env : null;
}

/** TAI64N label (`@4000000045e1...`, 24 hex digits) -> epoch ms (leap seconds ignored). */
function tai64nAt(s: string, i: number): number | undefined {
  const hi = Number.parseInt(s.slice(i, i + 8), 16);
  const lo = Number.parseInt(s.slice(i + 8, i + 16), 16);
  const ns = Number.parseInt(s.slice(i + 16, i + 24), 16);
  if (!/^[0-9a-fA-F]{24}$/.test(s.slice(i, i + 24)) || hi < 0x40000000) return undefined;
  return ((hi - 0x40000000) * 4294967296 + lo) * 1000 + Math.floor(ns / 1e6);
}

/** Does `line[start, end)` end in `[DIGITS]` with a non-empty name before it (`name[123]`)? */
function pidOpen(line: string, start: number, end: number): number {
  if (end - start < 4 || line.charCodeAt(end - 1) !== 93) return -1;
  // The last `[` of the token (a short backward scan: cheaper than lastIndexOf's call).
  let open = end - 2;
  while (open > start && line.charCodeAt(open) !== 91) open--;
  if (open <= start || end - open <= 2) return -1;
  return digitsAt(line, open + 1, end - open - 2) >= 0 ? open : -1;
}

/**
 * Split `[HOST ]PROGRAM[[PID]]: MSG` at `start`. A token is the program when it ends with `:`
 * or is `name[pid]`; the token before it, if any, is the host. Works on indexes and cuts
 * each field once.
 */
function splitHostProgram(
  line: string,
  start: number,
  time: number,
  facility: number | undefined,
  severity: number | undefined,
): Envelope {
  let host: string | undefined;
  let i = start;
  let sp = line.indexOf(' ', i);
  let end = sp < 0 ? line.length : sp;
  const c0 = line.charCodeAt(i);
  // "[sshd]: msg" or "[sshd] msg": a bracketed program and no host.
  if (
    c0 === 91 &&
    (line.charCodeAt(end - 1) === 93 || (line.charCodeAt(end - 1) === 58 && line.charCodeAt(end - 2) === 93))
  ) {
    const close = line.indexOf(']', i);
    const name = line.slice(i + 1, close);
    return mk(time, undefined, name, undefined, sp < 0 ? '' : line.slice(sp + 1), facility, severity);
  }
  if (!isProgramAt(line, i, end)) {
    // `NAME [PID]: MSG`, the pid apart from its name and no host (SOGo's own log).
    if (sp > 0 && line.charCodeAt(sp + 1) === 91) {
      const close = line.indexOf(']: ', sp + 2);
      const pid = close <= sp + 2 ? -1 : digitsAt(line, sp + 2, close - sp - 2);
      if (pid >= 0 && end - i <= MAX_PROGRAM)
        return mk(time, undefined, programAt(line, i, end), pid, line.slice(close + 3), facility, severity);
    }
    host = hostAt(line, i, end);
    if (sp < 0) return mk(time, host, undefined, undefined, '', facility, severity);
    i = sp + 1;
    sp = line.indexOf(' ', i);
    end = sp < 0 ? line.length : sp;
  }
  const len = end - i;
  if (len > 1 && len <= MAX_PROGRAM && isProgramAt(line, i, end)) {
    const rawEnd = line.charCodeAt(end - 1) === 58 ? end - 1 : end;
    let program: string;
    let pid: number | undefined;
    const open = pidOpen(line, i, rawEnd);
    if (open >= 0) {
      pid = digitsAt(line, open + 1, rawEnd - open - 2);
      program = programAt(line, i, open);
    } else program = programAt(line, i, rawEnd);
    return mk(time, host, program, pid, sp < 0 ? '' : line.slice(sp + 1), facility, severity);
  }
  return mk(time, host, undefined, undefined, line.slice(i), facility, severity);
}

/**
 * Where the repeated message starts in rsyslog's `message repeated N times: [ MSG]` (N the
 * occurrences after the first, which was written on its own line; the closing bracket last),
 * or -1 when `msg` is not that wrapper.
 */
function repeatedEnd(msg: string): number {
  const sp = msg.indexOf(' ', 17);
  if (sp < 18 || sp > 27 || digitsAt(msg, 17, sp - 17) < 1) return -1;
  if (!msg.startsWith(' times: [', sp)) return -1;
  const tail = msg.trimEnd();
  return tail.charCodeAt(tail.length - 1) === 93 ? sp + 9 : -1;
}

/** `msg` without a leading `kernel:[ secs.frac]:` stamp; unchanged when it has none. */
function withoutKernelStamp(msg: string): string {
  let i = 7;
  if (msg.charCodeAt(i) === 32) i++;
  if (msg.charCodeAt(i) !== 91) return msg;
  i++;
  while (msg.charCodeAt(i) === 32) i++;
  const start = i;
  while (i < msg.length && ((msg.charCodeAt(i) >= 48 && msg.charCodeAt(i) <= 57) || msg.charCodeAt(i) === 46)) i++;
  if (i === start || msg.charCodeAt(i) !== 93) return msg;
  i++;
  if (msg.charCodeAt(i) === 58) i++;
  if (msg.charCodeAt(i) !== 32) return msg;
  while (msg.charCodeAt(i) === 32) i++;
  return msg.slice(i);
}

/** A program token: `name:` (2+ characters) or `name[123]` without the colon some writers drop. */
function isProgramAt(line: string, start: number, end: number): boolean {
  if (end - start > 1 && line.charCodeAt(end - 1) === 58) return true;
  return pidOpen(line, start, end) >= 0;
}

function mk(
  time: number,
  host: string | undefined,
  program: string | undefined,
  pid: number | undefined,
  rawMsg: string,
  facility: number | undefined,
  severity: number | undefined,
): Envelope {
  let msg = rawMsg;
  // Solaris: "[ID 800047 auth.info] Failed ..."
  if (msg.charCodeAt(0) === 91 && msg.startsWith('[ID ')) {
    const end = msg.indexOf('] ');
    if (end > 0 && end < 64) msg = msg.slice(end + 2);
  }
  let repeat = 1;
  if (msg.charCodeAt(0) === 109 && msg.startsWith('message repeated ')) {
    const end = repeatedEnd(msg);
    if (end > 0) {
      repeat = Math.min(digitsAt(msg, 17, msg.indexOf(' ', 17) - 17), MAX_REPEAT);
      msg = msg.slice(end, msg.lastIndexOf(']')).trim();
    }
  }
  // A kernel ring-buffer stamp some journal setups put before the message (fail2ban's
  // __kernel_prefix): "kernel:[  970.699396]: Failed ..." or "kernel: [970.699397] Failed ...".
  if (msg.charCodeAt(0) === 107 && msg.startsWith('kernel:')) msg = withoutKernelStamp(msg);
  const last = msg.charCodeAt(msg.length - 1);
  if (last === 32 || last === 9 || last === 13) msg = msg.trimEnd();
  const env = scratch;
  env.time = time;
  env.host = host;
  env.program = program;
  env.pid = pid;
  env.msg = msg;
  env.facility = facility;
  env.severity = severity;
  env.repeat = repeat;
  return env;
}

/** RFC 5424: `<PRI>1 TS HOST APP PROCID MSGID [SD...]|- MSG` (after the version). */
function parse5424(
  line: string,
  start: number,
  stream: Stream,
  facility: number | undefined,
  severity: number | undefined,
): Envelope | null {
  let i = start;
  let time: number;
  if (line.charCodeAt(i) === 45) {
    time = stream.ctx.clock.now();
    i++;
  } else {
    const iso = isoAt(line, i, stream.local);
    if (iso === undefined) return null;
    [time, i] = iso;
  }
  const fields: string[] = [];
  for (let k = 0; k < 4; k++) {
    if (line.charCodeAt(i) !== 32) return null;
    const sp = line.indexOf(' ', i + 1);
    if (sp < 0) return null;
    fields.push(line.slice(i + 1, sp));
    i = sp;
  }
  i++;
  // Structured data: "-" or [id k="v" ...]... with \" \] \\ escapes inside values.
  if (line.charCodeAt(i) === 45) i++;
  else {
    while (line.charCodeAt(i) === 91) {
      let inQuote = false;
      let j = i + 1;
      for (; j < line.length; j++) {
        const ch = line.charCodeAt(j);
        if (ch === 92) j++;
        else if (ch === 34) inQuote = !inQuote;
        else if (ch === 93 && !inQuote) break;
      }
      if (j >= line.length) return null;
      i = j + 1;
    }
  }
  let msg = line.charCodeAt(i) === 32 ? line.slice(i + 1) : line.slice(i);
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  const dash = (s: string | undefined) => (s === undefined || s === '-' ? undefined : s);
  const procid = dash(fields[2]);
  const pid = procid !== undefined && digitsAt(procid, 0, procid.length) >= 0 ? Number(procid) : undefined;
  return mk(time, dash(fields[0]), dash(fields[1]), pid, msg, facility, severity);
}
