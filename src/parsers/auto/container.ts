/**
 * Container runtimes wrap each line an application writes; the wrapper is unwrapped here so the
 * application's own line reaches its reader (an nginx access line in a pod's log is an nginx
 * access line):
 *
 * - CRI (containerd, CRI-O; Kubernetes' `/var/log/containers/*.log`):
 *   `2022-01-28T16:04:05.413656027Z stdout F LINE`. The tag is `F` for a full line or `P` for a
 *   part: the runtime split a long line and the rest follows in the next record(s).
 * - Docker's json-file driver (`/var/lib/docker/containers/ID/ID-json.log`):
 *   `{"log":"LINE\n","stream":"stdout","time":"..."}`; a `log` without its final `\n` is a part.
 * - `docker compose logs` (and docker-compose v1) output: `SERVICE  | LINE`, where LINE may
 *   start with the `--timestamps` time (`2024-05-01T12:00:00.123456789Z `).
 *
 * The wrapper comes from the runtime, never from the application, so it cannot be forged by what
 * a client makes the application log. Parts are joined per stream (stdout, stderr) up to
 * {@link MAX_JOINED} characters; a longer run is dropped whole rather than read in pieces.
 */

/** A joined line longer than this is dropped (the bad-input limit: bounded memory). */
export const MAX_JOINED = 256 * 1024;

export interface Unwrapped {
  /** The application's line. */
  readonly text: string;
  /**
   * True when the wrapper is only likely (a `docker compose logs` prefix): if the text does not
   * parse, the whole line is tried as it is.
   */
  readonly tentative: boolean;
  /** The runtime's stream the line came from (`stdout`, `stderr`), when the wrapper names it. */
  readonly stream?: string;
}

export interface ContainerUnwrapper {
  /**
   * The application's line inside a runtime's wrapper; null when the record is a part held until
   * its line is complete (or dropped); undefined when the line has no wrapper.
   */
  unwrap(line: string): Unwrapped | null | undefined;
  /** The parts held for lines never completed, each as the line it is (the stream ended), emptied. */
  flush(): string[];
  /** Parts held for a line not yet complete, for the parser's snapshot. */
  snapshot(): Record<string, string> | undefined;
  restore(state: unknown): void;
}

/** Offsets of the digits in `YYYY-MM-DDTHH:MM:SS`. */
const STAMP_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] as const;

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z ` at `at`: the end of the space after it, or -1. */
function rfc3339ZEnd(line: string, at: number): number {
  // The separators first: most lines fail here, at one or two characters.
  if (line.charCodeAt(at + 4) !== 45 || line.charCodeAt(at + 10) !== 84 || line.length < at + 21) return -1;
  if (line.charCodeAt(at + 7) !== 45 || line.charCodeAt(at + 13) !== 58 || line.charCodeAt(at + 16) !== 58) return -1;
  for (let k = 0; k < STAMP_DIGITS.length; k++) {
    const c = line.charCodeAt(at + STAMP_DIGITS[k]!);
    if (c < 48 || c > 57) return -1;
  }
  let i = at + 19;
  if (line.charCodeAt(i) === 46) {
    i++;
    const from = i;
    while (i < line.length && i - from < 9 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
    if (i === from) return -1;
  }
  return line.charCodeAt(i) === 90 && line.charCodeAt(i + 1) === 32 ? i + 2 : -1;
}

/** Where the text after CRI's `TIME STREAM TAG ` starts, with the stream and the tag; undefined when not CRI. */
function criHead(line: string): { stream: string; full: boolean; at: number } | undefined {
  const afterTime = rfc3339ZEnd(line, 0);
  if (afterTime < 0) return undefined;
  const stream = line.startsWith('stdout ', afterTime)
    ? 'stdout'
    : line.startsWith('stderr ', afterTime)
      ? 'stderr'
      : '';
  if (stream === '') return undefined;
  const tag = line.charCodeAt(afterTime + 7);
  if (tag !== 70 && tag !== 80) return undefined;
  // The tag ends the head; an empty line is `... stdout F` with nothing after it.
  const end = afterTime + 8;
  if (end < line.length && line.charCodeAt(end) !== 32) return undefined;
  return { stream, full: tag === 70, at: Math.min(end + 1, line.length) };
}

/** A character of a compose service name (letters, digits, `_`, `-`, `.`). */
function isNameChar(x: number): boolean {
  return (x >= 48 && x <= 57) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122) || x === 95 || x === 45 || x === 46;
}

/** Where the text after `SERVICE  | ` starts; 0 when the line has no such prefix. */
function afterComposePrefix(line: string): number {
  const sp = line.indexOf(' ');
  if (sp < 1 || sp > 64) return 0;
  let i = sp + 1;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 124) return 0;
  const after = line.charCodeAt(i + 1) === 32 ? i + 2 : i + 1 === line.length ? i + 1 : 0;
  if (after === 0 || line.charCodeAt(0) === 45 || line.charCodeAt(0) === 46 || line.charCodeAt(0) === 95) return 0;
  for (let k = 0; k < sp; k++) if (!isNameChar(line.charCodeAt(k))) return 0;
  return after;
}

/** Docker's json-file record: its `log` and `stream`, or undefined when the line is not one. */
function dockerRecord(line: string): { log: string; stream: string } | undefined {
  if (!line.startsWith('{"log":"')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const { log, stream, time } = doc as Record<string, unknown>;
  if (typeof log !== 'string' || typeof stream !== 'string' || typeof time !== 'string') return undefined;
  return { log, stream };
}

/** One per stream of lines: long lines' parts are joined across records. */
export function createContainerUnwrapper(): ContainerUnwrapper {
  const parts = new Map<string, string>();
  // Streams whose current line grew past MAX_JOINED: its remaining parts are dropped too.
  const dropping = new Set<string>();
  /** The whole line once `text` (complete or not) is added to what `stream` holds; null while incomplete. */
  const join = (stream: string, text: string, complete: boolean): Unwrapped | null => {
    if (dropping.has(stream)) {
      if (complete) dropping.delete(stream);
      return null;
    }
    const held = parts.get(stream);
    const whole = held === undefined ? text : held + text;
    if (whole.length > MAX_JOINED) {
      parts.delete(stream);
      if (!complete) dropping.add(stream);
      return null;
    }
    if (!complete) {
      parts.set(stream, whole);
      return null;
    }
    parts.delete(stream);
    return { text: whole, tentative: false, stream };
  };
  return {
    unwrap(line) {
      const c = line.charCodeAt(0);
      if (c === 123) {
        const rec = dockerRecord(line);
        if (rec === undefined) return undefined;
        const complete = rec.log.endsWith('\n');
        const text = complete ? rec.log.slice(0, rec.log.endsWith('\r\n') ? -2 : -1) : rec.log;
        return join(rec.stream, text, complete);
      }
      if (c >= 48 && c <= 57) {
        const cri = criHead(line);
        if (cri !== undefined) return join(cri.stream, line.slice(cri.at), cri.full);
      }
      const at = afterComposePrefix(line);
      if (at === 0) return undefined;
      const ts = rfc3339ZEnd(line, at);
      // The prefix names the service: its lines are one stream among the others interleaved.
      return { text: line.slice(ts < 0 ? at : ts), tentative: true, stream: line.slice(0, at).trimEnd() };
    },
    flush() {
      const held = [...parts.values()];
      parts.clear();
      dropping.clear();
      return held;
    },
    snapshot() {
      return parts.size === 0 ? undefined : Object.fromEntries(parts);
    },
    restore(state) {
      parts.clear();
      if (typeof state !== 'object' || state === null) return;
      for (const [k, v] of Object.entries(state)) if (typeof v === 'string' && v.length <= MAX_JOINED) parts.set(k, v);
    },
  };
}
