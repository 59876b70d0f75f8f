import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSource, waitFor } from '../testing/run-source.js';
import { createStdinSource } from './index.js';

describe('stdin source', () => {
  it('emits lines with the shared line rules and the last unterminated line at EOF', async () => {
    const input = Readable.from([
      Buffer.from('one\r\ntw'),
      Buffer.from('o\n'),
      Buffer.from([0x62, 0xff, 0x0a]),
      Buffer.from('x'.repeat(50) + '\nlast'),
    ]);
    const source = createStdinSource({ id: 'in', input, maxLineBytes: 20 });
    const r = runSource(source);
    await r.done;
    expect(r.lines()).toEqual(['one', 'two', 'b\uFFFD', 'last']);
    expect(r.batches.every((b) => b.sourceId === 'in' && b.checkpoint === undefined)).toBe(true);
    expect(source.stats).toMatchObject({ linesRead: 4, linesTooLong: 1, invalidUtf8: 1 });
  });

  it('emits as data arrives, in batches of at most batchLines, and applies back-pressure', async () => {
    const input = new PassThrough();
    let release: () => void = () => undefined;
    const source = createStdinSource({ input, batchLines: 2 });
    const r = runSource(source, {
      onBatch: (b) => {
        if (b.lines[0] === 'hold') return new Promise<void>((res) => (release = res));
      },
    });
    input.write('a\nb\nc\n');
    await waitFor(() => r.lines().length >= 3, 'first lines');
    expect(r.batches.map((b) => b.lines)).toEqual([['a', 'b'], ['c']]);
    input.write('hold\n');
    await waitFor(() => r.lines().includes('hold'), 'held batch');
    input.write('later\n');
    // The consumer has not returned: nothing more may be emitted, whatever the input does.
    await new Promise((res) => setImmediate(res));
    expect(r.lines()).not.toContain('later');
    release();
    input.end();
    await r.done;
    expect(r.lines()).toEqual(['a', 'b', 'c', 'hold', 'later']);
  });

  it('stops when aborted even if the input never ends', async () => {
    const input = new PassThrough();
    const r = runSource(createStdinSource({ input }));
    input.write('x\n');
    await waitFor(() => r.lines().length === 1, 'line');
    await r.stop();
    expect(r.lines()).toEqual(['x']);
  });
});
