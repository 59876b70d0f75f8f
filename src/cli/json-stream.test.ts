import { describe, expect, it } from 'vitest';
import { writeJsonStream } from './json-stream.js';

function streamed(value: unknown): string {
  let out = '';
  writeJsonStream(value, (s) => {
    out += s;
  });
  return out;
}

describe('writeJsonStream', () => {
  it('writes exactly what JSON.stringify writes', () => {
    const values: unknown[] = [
      { lines: 3, alerts: [{ a: 1, b: 'x"y' }, { c: [1, 2] }], decisions: [], skipped: undefined },
      { list: [undefined, () => 1, Number.NaN, new Date(0), 'é\u2028'], f: () => 1, s: Symbol('x'), n: null },
      { nested: { deep: [1, { x: undefined }] }, date: new Date(86_400_000) },
      [1, 'two', { three: 3 }],
      'text',
      42,
      null,
      {},
      { big: Array.from({ length: 5000 }, (_, i) => ({ i, text: `alert ${i}`.repeat(5) })) },
    ];
    for (const v of values) expect(streamed(v)).toBe(JSON.stringify(v));
  });

  it('hands the text over in pieces', () => {
    const pieces: string[] = [];
    writeJsonStream({ big: Array.from({ length: 20_000 }, (_, i) => `line ${i}`) }, (s) => pieces.push(s));
    expect(pieces.length).toBeGreaterThan(1);
  });
});
