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
}

/** A parser plugin: one log format. */
export interface ParserDefinition {
  /** Registry name used in config `format:` and `--format`, e.g. `sshd`, `nginx`, `syslog`. */
  readonly name: string;
  readonly description: string;
  create(ctx: ParseContext): LineParser;
}
