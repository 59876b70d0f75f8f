import type { Clock } from './clock.js';
import type { ParsedLine } from './event.js';

/** What a parser instance knows about the stream it reads. */
export interface ParseContext {
  readonly clock: Clock;
  /** Path of the log file, when the lines come from one (goes to `log.file.path`). */
  readonly logPath?: string;
  /** Host name to use when the line carries none. */
  readonly hostName?: string;
}

/**
 * A line parser bound to one stream. It may keep state (syslog year inference, sshd lines
 * that only count together with an earlier line of the same pid) but never does I/O.
 * Returns null when the line is not recognized; never throws on bad input.
 */
export interface LineParser {
  (line: string): ParsedLine | null;
  /**
   * Events the parser still holds when its input ends (auditd's last event, which only the
   * next record of another serial would complete), handed over and forgotten. Parsers that
   * hold nothing leave it out.
   */
  drain?(): ParsedLine[];
  /**
   * What the parser holds that a restart must not lose (auditd's open event, an event waiting
   * for the next call), as text; undefined when it holds nothing. The daemon commits it with
   * the source's checkpoint, so the lines before a checkpoint that are still held come back
   * through `restore` after kill -9 instead of being lost.
   */
  snapshot?(): string | undefined;
  /** Take back a `snapshot` of a parser of the same format, before the first line. */
  restore?(state: string): void;
  /**
   * Formats whose writer can split one record over several physical lines with text a client
   * sent (nginx's error log writes decoded request paths raw): the pipeline passes every line
   * and its parse through this gate, and detection sees a line only once the gate knows it is
   * not part of such a record (`leuko parse` prints such lines as null). Its held
   * lines belong to the parser's `snapshot`.
   */
  readonly records?: RecordGate;
}

/** A line the record gate let go, in input order: its parse, or dropped as untrustworthy. */
export interface SettledLine {
  readonly line: string;
  /** The parse to detect on (null: not recognized), or a record's own finding (its sender). */
  readonly parsed: ParsedLine | null;
  /** Part of a record split or cut by its writer: neither its parse nor the line counts. */
  readonly dropped: boolean;
}

/** See `LineParser.records`. */
export interface RecordGate {
  /**
   * The next line read and its parse. `end` is the byte offset just after the line in its file
   * when the source knows it (exact record lengths); otherwise the gate counts the line's bytes.
   */
  admit(line: string, parsed: ParsedLine | null, end: number | undefined): void;
  /** The next line let go, oldest first; undefined when none is ready. */
  next(): SettledLine | undefined;
  /**
   * The source has read everything there was (a file at its end, a drained pipe): a writer
   * puts each record down in one write, so the records read so far are whole. Lets go of all.
   */
  settle(): void;
}

/** A parser plugin: one log format. */
export interface ParserDefinition {
  /** Registry name used in config `format:` and `--format`, e.g. `sshd`, `nginx`, `syslog`. */
  readonly name: string;
  readonly description: string;
  create(ctx: ParseContext): LineParser;
}
