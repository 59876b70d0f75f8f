import type { ParsedLine } from '../../core/event.js';
import type { LineParser, RecordGate, SettledLine } from '../../core/parser.js';

/** What a record gate needs to know of one writer's records (see nginx-records.ts). */
export interface RecordRules {
  /**
   * Longest record the writer puts down, its newline included: it cuts longer ones there
   * (nginx: NGX_MAX_ERROR_STR, 2048 bytes).
   */
  readonly maxRecordBytes: number;
  /** Whether the line opens one of the writer's records (nginx: its time stamp head). */
  opens(line: string): boolean;
  /**
   * Whether a line that opens no record is the rest of the record before it, rather than a
   * line of another writer in a mixed stream.
   */
  continues(line: string, parsed: ParsedLine | null): boolean;
  /**
   * Who split the record a continuing line ends, from the writer's own end of it (nginx's
   * context names the real client); undefined when it does not say or is ambiguous.
   */
  sender(line: string): string | undefined;
  /**
   * The same line as an event naming that sender, to detect on; null when the format does not
   * make one.
   */
  revealed(line: string, parsed: ParsedLine | null, time: number): ParsedLine | null;
  /**
   * Whether a line that opens a record names its client truly even when the writer cut the
   * record at its limit (nginx: messages with no client text that could hold its context).
   */
  survivesCut(line: string): boolean;
  /**
   * The writer's own line inside `line` and the stream it belongs to, when the line wraps it (a
   * container runtime's record: each physical line of one write is wrapped on its own, and a
   * container's stdout and stderr interleave). Records are judged per stream, on the text, with
   * its bytes counted; undefined: the line is the writer's as it is.
   */
  view?(line: string): { readonly text: string; readonly channel: string } | undefined;
  /**
   * Hold lines only from the first line that opens a record on (`auto`, where most streams
   * are not this writer's); false: from the first line.
   */
  readonly armOnFirstRecord: boolean;
}

interface Held {
  readonly line: string;
  /** The stream the line's record was written to ('' for lines that are the writer's as they are). */
  readonly channel: string;
  parsed: ParsedLine | null;
  /** Byte offsets in the channel: where the line starts, and just after its newline. */
  readonly start: number;
  readonly end: number;
  /** Bytes admitted over all channels when the line was (see CHANNEL_SLACK). */
  readonly seen: number;
  readonly opens: boolean;
  dropped: boolean;
}

/** What a gate's snapshot holds: the lines it has not let go, with their parses. */
interface GateState {
  readonly held: readonly Held[];
  /** Each channel's offset after its last line. */
  readonly ends: Readonly<Record<string, number>>;
  readonly armed: boolean;
}

const utf8 = new TextEncoder();

/**
 * How far the other streams may move on before a line of a quiet one is let go anyway. A
 * container runtime wraps the physical lines of one write as it reads them, so the lines of a
 * record sit close together in its log whatever the other streams write meanwhile; this bounds
 * what a replay holds when one stream is quiet for the rest of a long log.
 */
const CHANNEL_SLACK = 64 * 1024;

/** A rule's answer, or `fallback` (the cautious one) should it throw on a line: never a crash. */
function ruleHolds<T>(rule: () => T, fallback: T): T {
  try {
    return rule();
  } catch {
    return fallback;
  }
}

/**
 * The bytes `line` took in its file, newline included, at most and at least: the line reader
 * dropped a `\r` before the newline (one more), and wrote each invalid byte sequence it met
 * (one to three bytes) as U+FFFD (three).
 */
function lineBytes(line: string): { most: number; least: number } {
  // Pure ASCII is the common case: one byte per character, no encoding needed.
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) > 127) {
      const n = utf8.encode(line).length + 1;
      let replaced = 0;
      for (let j = line.indexOf('\ufffd'); j >= 0; j = line.indexOf('\ufffd', j + 1)) replaced++;
      return { most: n + 1, least: n - 2 * replaced };
    }
  }
  return { most: line.length + 2, least: line.length + 1 };
}

/**
 * Holds a writer's lines until the records they belong to are known to be whole, for writers
 * that put client text into a record unescaped (nginx's error log writes the decoded request
 * path as it is): one request then writes several physical lines, and every line after the
 * first can be any record the client likes, naming any address. Two facts make them findable:
 *
 * - a writer puts each record down in one write, so a record's lines are contiguous, and it
 *   never writes more than `maxRecordBytes`;
 * - a split record's last line does not open a record (its writer's own end, nginx's
 *   `..." failed (2: ...), client: REAL, server: ..., request: "GET /x%0A..."`), unless the
 *   record was cut at `maxRecordBytes`, in which case it ends exactly that many bytes after the
 *   line that opened it.
 *
 * So a line is let go once `maxRecordBytes` more bytes have been read after its start (or the
 * source read to its end), and is dropped when a line that continues a record, or a line that
 * ends exactly `maxRecordBytes` after a record's start, follows it within that distance. The
 * continuing line names the split record's sender: it becomes an event naming it (its only
 * finding), and the lines naming the sender within reach stay (its own failures count). Any
 * line a client wrote can still be dropped by a later one within reach, the continuing ones
 * too: a client can write one shaped like the writer's end inside its record, which the real
 * end, or the cut, then follows.
 *
 * The cost: a line is held until that much more is read or the source pauses (live, a tailed
 * file is read to its end after nearly every write, so records are judged one write at a
 * time; a replay judges them 2048 bytes at a time, so a split or cut record also drops other
 * clients' lines written just before it); a record that happens to end exactly at the limit
 * from another's start drops the lines between, by chance about 3% of an ordinary nginx error
 * log's lines in a replay, next to none live (the pipeline counts
 * what is dropped: `untrustedRecordLines`). Exact with the byte offsets the file and stdin
 * sources give; counted from the text otherwise (`leuko parse`), where a `\r` the line reader
 * dropped or an invalid byte it replaced shifts the count.
 */
export function createRecordGate(
  rules: RecordRules,
): RecordGate & { snapshot(): string | undefined; restore(text: string): void } {
  const max = rules.maxRecordBytes;
  let armed = !rules.armOnFirstRecord;
  /** Lines held, oldest first, from `head` on. */
  let held: Held[] = [];
  let head = 0;
  const ready: SettledLine[] = [];
  let readyHead = 0;
  /** Each channel's offset after its last line admitted (see Held.channel). */
  const lastEnds = new Map<string, number>();

  function letGo(h: Held): void {
    ready.push({ line: h.line, parsed: h.dropped ? null : h.parsed, dropped: h.dropped });
  }

  function releaseAll(): void {
    for (let i = head; i < held.length; i++) letGo(held[i]!);
    held = [];
    head = 0;
  }

  /** Bytes admitted over all channels, which `Held.seen` marks the lines with. */
  let admitted = 0;

  /**
   * Let go of the lines whose record must have ended, in order: the oldest line waits for its
   * own channel to move on, or for CHANNEL_SLACK bytes of the others (a runtime wraps the lines
   * of one write together, whatever the other streams interleave), so a quiet stream holds
   * the rest back only that long.
   */
  function release(): void {
    while (head < held.length) {
      const h = held[head]!;
      if ((lastEnds.get(h.channel) ?? h.end) - h.start < max && admitted - h.seen < CHANNEL_SLACK) break;
      letGo(h);
      head++;
    }
    if (head > 64 && head * 2 > held.length) {
      held = held.slice(head);
      head = 0;
    }
  }

  /**
   * Drop the held lines of `channel` that start at or after `from`: they may share a record with
   * what follows. Those naming `sender` stay: a line the sender forged about itself harms nobody
   * else, and its own real failures just before must still count.
   */
  function dropFrom(from: number, channel: string, sender: string | undefined): void {
    for (let i = held.length - 1; i >= head; i--) {
      const h = held[i]!;
      if (h.channel !== channel) continue;
      if (h.start < from) return;
      if (sender === undefined || h.parsed?.event['source.ip'] !== sender) h.dropped = true;
    }
  }

  /** Whether a line of `channel` that opened a record starts exactly `max` bytes before `end`. */
  function cutRecordStart(end: number, channel: string): boolean {
    const start = end - max;
    for (let i = held.length - 1; i >= head; i--) {
      const h = held[i]!;
      if (h.channel !== channel) continue;
      if (h.start < start) return false;
      if (h.start === start) return h.opens;
    }
    return false;
  }

  /**
   * The time of a split record of `channel` ending at `from + max`: that of the first record
   * opened in its reach, which is the record itself or an older one, never a line the client
   * wrote.
   */
  function recordTime(from: number, channel: string, parsed: ParsedLine | null): number {
    for (let i = head; i < held.length; i++) {
      const h = held[i]!;
      if (h.channel === channel && h.start >= from && h.opens && h.parsed !== null) return h.parsed.time;
    }
    return parsed?.time ?? 0;
  }

  function admit(line: string, parsed: ParsedLine | null, knownEnd: number | undefined): void {
    // A wrapped line is judged on the writer's text, in its stream, its bytes counted.
    const view = rules.view?.(line);
    const text = view?.text ?? line;
    const channel = view?.channel ?? '';
    const opens = rules.opens(text);
    if (!armed) {
      if (!opens) {
        ready.push({ line, parsed, dropped: false });
        return;
      }
      armed = true;
    }
    const bytes = lineBytes(text);
    admitted += bytes.least;
    const seen = admitted;
    const known = view === undefined ? knownEnd : undefined;
    let last = lastEnds.get(channel) ?? -1;
    // A new file (rotated, truncated, another replayed file), its offsets starting over, when
    // the line cannot have followed the last one: no record spans the boundary.
    if (known !== undefined && last >= 0 && known - last < bytes.least) {
      releaseAll();
      lastEnds.delete(channel);
      last = -1;
    }
    const end = known ?? (last < 0 ? bytes.least : last + bytes.least);
    // The last line's end, unless over-long lines skipped between leave a gap.
    const start = last >= 0 && end - last <= bytes.most ? last : end - bytes.least;
    lastEnds.set(channel, end);
    const continues = !opens && ruleHolds(() => rules.continues(text, parsed), true);
    // A line ending exactly at the limit from a record's start (itself included) may close a
    // record cut there: nothing in that record can be trusted, its last line's client least. A
    // record line longer than the limit is not the writer's as written (or comes from a build
    // with a larger one, whose cut records the gate cannot find): not trusted either.
    const cut =
      cutRecordStart(end, channel) || (opens && end - start >= max && !ruleHolds(() => rules.survivesCut(text), false));
    if (continues || cut) {
      // A cut record has lost its writer's end: it names nobody. A continuing line may itself sit
      // inside a longer split record (a client can write one shaped like the writer's end): the
      // real end, or the cut, follows within reach and drops it and what it spared.
      const sender = cut ? undefined : ruleHolds(() => rules.sender(text), undefined);
      const finding =
        sender === undefined
          ? null
          : ruleHolds(() => rules.revealed(text, parsed, recordTime(end - max, channel, parsed)), null);
      dropFrom(end - max, channel, sender);
      held.push({ line, channel, parsed: finding, start, end, seen, opens, dropped: finding === null });
    } else held.push({ line, channel, parsed, start, end, seen, opens, dropped: false });
    release();
  }

  return {
    admit,
    next() {
      if (readyHead >= ready.length) {
        if (ready.length > 0) {
          ready.length = 0;
          readyHead = 0;
        }
        return undefined;
      }
      return ready[readyHead++];
    },
    settle: releaseAll,
    snapshot() {
      if (head >= held.length) return undefined;
      return JSON.stringify({
        held: held.slice(head),
        ends: Object.fromEntries(lastEnds),
        armed,
      } satisfies GateState);
    },
    restore(text) {
      const state = JSON.parse(text) as Partial<GateState>;
      armed ||= state.armed === true;
      for (const [channel, end] of Object.entries(state.ends ?? {}))
        if (typeof end === 'number') lastEnds.set(channel, end);
      for (const h of Array.isArray(state.held) ? state.held : []) {
        if (typeof h?.line !== 'string' || typeof h.start !== 'number' || typeof h.end !== 'number') continue;
        const parsed =
          typeof h.parsed === 'object' && h.parsed !== null && typeof h.parsed.time === 'number' ? h.parsed : null;
        held.push({
          line: h.line,
          channel: typeof h.channel === 'string' ? h.channel : '',
          parsed,
          start: h.start,
          end: h.end,
          seen: 0,
          opens: h.opens === true,
          dropped: h.dropped === true,
        });
      }
    },
  };
}

/** The key a gated parser's snapshot keeps the gate's held lines under, beside its own state. */
const GATE_KEY = 'recordGate';

/**
 * `parse` with `gate` as its `records`, the gate's held lines saved and restored with the
 * parser's own snapshot (left as it was while the gate holds nothing).
 */
export function withRecordGate(parse: LineParser, gate: ReturnType<typeof createRecordGate>): LineParser {
  const own = { snapshot: parse.snapshot, restore: parse.restore };
  const gated = Object.assign(parse, { records: gate });
  gated.snapshot = () => {
    const g = gate.snapshot();
    const p = own.snapshot?.();
    return g === undefined ? p : JSON.stringify({ [GATE_KEY]: g, ...(p === undefined ? {} : { parser: p }) });
  };
  gated.restore = (text) => {
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch {
      state = undefined;
    }
    const o = typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : undefined;
    if (o === undefined || typeof o[GATE_KEY] !== 'string') return own.restore?.(text);
    gate.restore(o[GATE_KEY]);
    if (typeof o.parser === 'string') own.restore?.(o.parser);
  };
  return gated;
}
