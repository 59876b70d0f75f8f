import { isAscii, isUtf8 } from 'node:buffer';
import type { SourceStats } from '../../core/source.js';

/** Default longest line we keep (bytes before the `\n`, a trailing `\r` included). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/**
 * Called for each complete line. `end` is the absolute byte offset just after the line's
 * `\n` (or after its last byte when a held partial line is flushed): a safe resume point.
 */
export type LineHandler = (line: string, end: number) => void;

/**
 * Splits a byte stream into lines on `\n`, incrementally, chunk by chunk.
 *
 * Invariants that the sources build their guarantees on:
 * - `lineStart` is always the offset of the first byte of a line not yet handed out (emitted
 *   or skipped): everything before it is done, so it is the resume offset of a checkpoint.
 * - Memory is bounded by `maxLineBytes`: a line that grows past it is counted once in
 *   `stats.linesTooLong` and its remaining bytes are dropped as they arrive, so a 100 MB line
 *   without a newline costs nothing but the read.
 * - A line that lies inside one chunk is decoded straight from the chunk (no Buffer copy);
 *   only a line split across chunks is copied, and at most `maxLineBytes` of it.
 * - A chunk that is all ASCII (checked once, vectorized) has its lines decoded as Latin-1,
 *   which gives the same text as UTF-8 for ASCII bytes at half the cost per line, and needs
 *   no validity check.
 */
export interface LineSplitter {
  /** Feed bytes; `chunkStart` is the absolute offset of `chunk[0]`. The chunk may be reused afterwards. */
  feed(chunk: Uint8Array, chunkStart: number): void;
  /** Emit the held partial line, if any (end of a replayed or rotated-away file). */
  flush(): void;
  /** Forget the held partial line and restart at `offset` (after a truncation, or a seek). */
  reset(offset: number, opts?: { skipping?: boolean }): void;
  /** Offset of the first byte not yet handed out as part of a complete line. */
  readonly lineStart: number;
  /** Bytes of the partial line held in memory. */
  readonly heldBytes: number;
}

export function createLineSplitter(opts: {
  maxLineBytes: number;
  stats: SourceStats;
  onLine: LineHandler;
}): LineSplitter {
  const { maxLineBytes, stats, onLine } = opts;
  let pieces: Buffer[] = [];
  let held = 0;
  // True while dropping the rest of an over-long line: the line was already counted.
  let skipping = false;
  let lineStart = 0;

  function emitJoined(tail: Uint8Array | undefined, end: number): void {
    if (tail !== undefined && tail.length > 0) pieces.push(Buffer.from(tail));
    const joined = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, held + (tail?.length ?? 0));
    pieces = [];
    held = 0;
    onLine(decodeLine(joined, 0, joined.length, stats), end);
  }

  return {
    feed(chunk, chunkStart) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const len = buf.length;
      const ascii = isAscii(buf);
      let pos = 0;
      while (pos < len) {
        const nl = buf.indexOf(10, pos);
        if (nl === -1) {
          // Partial line: hold it (copied: the caller reuses its read buffer) unless it is
          // already too long, in which case count it now and drop bytes until the next `\n`.
          if (!skipping) {
            if (held + (len - pos) > maxLineBytes) {
              stats.linesTooLong++;
              skipping = true;
              pieces = [];
              held = 0;
            } else {
              pieces.push(Buffer.from(buf.subarray(pos, len)));
              held += len - pos;
            }
          }
          return;
        }
        const end = chunkStart + nl + 1;
        if (skipping) {
          skipping = false;
        } else if (held + (nl - pos) > maxLineBytes) {
          stats.linesTooLong++;
          pieces = [];
          held = 0;
        } else if (held === 0) {
          onLine(ascii ? decodeAsciiLine(buf, pos, nl) : decodeLine(buf, pos, nl, stats), end);
        } else {
          emitJoined(buf.subarray(pos, nl), end);
        }
        lineStart = end;
        pos = nl + 1;
      }
    },
    flush() {
      if (held > 0) {
        const end = lineStart + held;
        emitJoined(undefined, end);
        lineStart = end;
      }
      skipping = false;
    },
    reset(offset, resetOpts) {
      pieces = [];
      held = 0;
      skipping = resetOpts?.skipping ?? false;
      lineStart = offset;
    },
    get lineStart() {
      return lineStart;
    },
    get heldBytes() {
      return held;
    },
  };
}

/**
 * Decode `buf[start, end)` as one UTF-8 line, dropping one trailing `\r` (CRLF files). Invalid
 * sequences become U+FFFD and the line is counted in `stats.invalidUtf8`. The exact validity
 * check only runs when the decoded text contains U+FFFD, so valid lines pay one indexOf.
 */
export function decodeLine(buf: Buffer, start: number, end: number, stats: SourceStats): string {
  let e = end;
  if (e > start && buf[e - 1] === 13) e--;
  const s = buf.toString('utf8', start, e);
  if (s.indexOf('\uFFFD') !== -1 && !isUtf8(buf.subarray(start, e))) stats.invalidUtf8++;
  return s;
}

/** Buffer's own Latin-1 slice: `toString('latin1', ...)` without its argument handling. */
type Latin1Slicer = (this: Buffer, start: number, end: number) => string;
const latin1Slice: Latin1Slicer =
  (Buffer.prototype as unknown as { latin1Slice?: Latin1Slicer }).latin1Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('latin1', start, end);
  };

/** `decodeLine` for bytes known to be ASCII (then Latin-1 and UTF-8 decode alike). */
function decodeAsciiLine(buf: Buffer, start: number, end: number): string {
  let e = end;
  if (e > start && buf[e - 1] === 13) e--;
  return latin1Slice.call(buf, start, e);
}
