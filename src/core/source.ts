/**
 * A batch of lines read by a source. The pipeline processes it, makes the results durable,
 * and only then commits `checkpoint`, so a crash re-reads the batch instead of losing it, and
 * the atomic commit of results + checkpoint means nothing is counted twice.
 */
export interface LineBatch {
  readonly sourceId: string;
  readonly lines: readonly string[];
  /** Path the lines were read from, when there is one. */
  readonly path?: string;
  /** Opaque source state after the last line of this batch (JSON text), if resumable. */
  readonly checkpoint?: string;
  /**
   * Byte offset just after each line (its newline included) in the file it was read from, when
   * the source knows it: lets a record gate (see LineParser.records) measure records exactly.
   */
  readonly ends?: readonly number[];
  /** The source had read all there was when it cut this batch (a file at its end, a drained pipe). */
  readonly atEnd?: boolean;
}

/** Counters every source keeps; surfaced in status and metrics. */
export interface SourceStats {
  linesRead: number;
  bytesRead: number;
  /** Lines dropped because they exceeded the maximum line length (counted, never buffered). */
  linesTooLong: number;
  /** Lines that were not valid UTF-8 (decoded with replacement characters, still emitted). */
  invalidUtf8: number;
  rotations: number;
  truncations: number;
  errors: number;
}

export interface SourceContext {
  readonly signal: AbortSignal;
  /** The checkpoint committed last time for this source id, if any. */
  readonly checkpoint?: string;
  /** Report a non-fatal problem (file vanished, permission denied); the source keeps going. */
  warn(message: string, details?: Record<string, unknown>): void;
}

/** A running source: emits batches until the signal aborts (or, for finite input, the end). */
export interface Source {
  readonly id: string;
  readonly stats: SourceStats;
  /**
   * Read and emit batches. `emit` is awaited: that is the back-pressure. Resolves when the
   * input ends (stdin, a replayed file) or the signal aborts.
   */
  run(emit: (batch: LineBatch) => Promise<void>, ctx: SourceContext): Promise<void>;
}

export function emptySourceStats(): SourceStats {
  return { linesRead: 0, bytesRead: 0, linesTooLong: 0, invalidUtf8: 0, rotations: 0, truncations: 0, errors: 0 };
}
