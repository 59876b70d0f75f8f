import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptySourceStats } from '../../core/source.js';
import { createLineSplitter } from './line-splitter.js';

function split(chunks: Buffer[], maxLineBytes = 64 * 1024) {
  const stats = emptySourceStats();
  const out: { line: string; end: number }[] = [];
  const s = createLineSplitter({ maxLineBytes, stats, onLine: (line, end) => out.push({ line, end }) });
  let off = 0;
  for (const c of chunks) {
    s.feed(c, off);
    off += c.length;
  }
  return { out, stats, s };
}

describe('line splitter', () => {
  it('splits on \\n, strips one trailing \\r, reports the end offset of each line', () => {
    const { out, s } = split([Buffer.from('a\r\nbb\n\nccc')]);
    expect(out).toEqual([
      { line: 'a', end: 3 },
      { line: 'bb', end: 6 },
      { line: '', end: 7 },
    ]);
    expect(s.lineStart).toBe(7);
    expect(s.heldBytes).toBe(3);
    s.flush();
    expect(out.at(-1)).toEqual({ line: 'ccc', end: 10 });
  });

  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const bytes = Buffer.from('héllo wörld\n€uro\n');
    const { out } = split([bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3, 14), bytes.subarray(14)]);
    expect(out.map((o) => o.line)).toEqual(['héllo wörld', '€uro']);
  });

  it('copies held bytes, so the caller may reuse its read buffer', () => {
    const stats = emptySourceStats();
    const lines: string[] = [];
    const s = createLineSplitter({ maxLineBytes: 100, stats, onLine: (l) => lines.push(l) });
    const buf = Buffer.from('abc');
    s.feed(buf, 0);
    buf.write('xyz');
    s.feed(Buffer.from('\n'), 3);
    expect(lines).toEqual(['abc']);
  });

  it('counts invalid UTF-8 but still emits the line with U+FFFD; a literal U+FFFD is valid', () => {
    const { out, stats } = split([Buffer.from([0x6f, 0x6b, 0xff, 0x0a]), Buffer.from('real \uFFFD char\n')]);
    expect(out.map((o) => o.line)).toEqual(['ok\uFFFD', 'real \uFFFD char']);
    expect(stats.invalidUtf8).toBe(1);
  });

  it('skips an over-long line, counted once, whether it ends in the same chunk or later', () => {
    const { out, stats } = split(
      [
        Buffer.from(`short\n${'x'.repeat(20)}\nok\n${'y'.repeat(8)}`),
        Buffer.from('y'.repeat(8)),
        Buffer.from('yy\nafter\n'),
      ],
      10,
    );
    expect(out.map((o) => o.line)).toEqual(['short', 'ok', 'after']);
    expect(stats.linesTooLong).toBe(2);
  });

  it('keeps memory bounded for a 100 MB line without a newline', () => {
    const stats = emptySourceStats();
    const s = createLineSplitter({ maxLineBytes: 64 * 1024, stats, onLine: () => undefined });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let maxHeld = 0;
    for (let off = 0; off < 100 * 1024 * 1024; off += chunk.length) {
      s.feed(chunk, off);
      maxHeld = Math.max(maxHeld, s.heldBytes);
    }
    expect(maxHeld).toBeLessThanOrEqual(64 * 1024);
    expect(stats.linesTooLong).toBe(1);
    expect(s.lineStart).toBe(0);
  });

  it('a line of exactly maxLineBytes is kept', () => {
    const { out, stats } = split([Buffer.from('12345\n123456\n')], 5);
    expect(out.map((o) => o.line)).toEqual(['12345']);
    expect(stats.linesTooLong).toBe(1);
  });

  it('gives the same lines however the input is chunked (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', 'é', '€', 'a'), fc.string({ maxLength: 5 })), {
          maxLength: 40,
        }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        (parts, sizes) => {
          const bytes = Buffer.from(parts.join(''));
          const whole = split([bytes], 12);
          const chunks: Buffer[] = [];
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const n = sizes[k % sizes.length]!;
            chunks.push(bytes.subarray(i, i + n));
            i += n;
          }
          const pieces = split(chunks, 12);
          expect(pieces.out).toEqual(whole.out);
          expect(pieces.stats).toEqual(whole.stats);
          expect(pieces.s.lineStart).toBe(whole.s.lineStart);
        },
      ),
    );
  });

  it('decodes every line as UTF-8 would, whether its chunk is all ASCII or not (property)', () => {
    // ASCII chunks take the Latin-1 fast path; any other byte must send the chunk down the
    // UTF-8 path, with its U+FFFD replacement and invalid-line count.
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x41, 0x20, 0x7f), fc.integer({ min: 0, max: 255 })), {
          maxLength: 60,
        }),
        (list) => {
          const bytes = Buffer.from(list);
          const { out, stats } = split([bytes]);
          const lines = bytes.toString('latin1').split('\n').slice(0, -1);
          let start = 0;
          let invalid = 0;
          const expected = lines.map((l) => {
            let end = start + l.length;
            const next = end + 1;
            if (end > start && bytes[end - 1] === 0x0d) end--;
            const raw = bytes.subarray(start, end);
            if (!isUtf8(raw)) invalid++;
            start = next;
            return raw.toString('utf8');
          });
          expect(out.map((o) => o.line)).toEqual(expected);
          expect(stats.invalidUtf8).toBe(invalid);
        },
      ),
    );
  });
});
