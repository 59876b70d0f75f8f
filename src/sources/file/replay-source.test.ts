import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineBatch } from '../../core/source.js';
import { createReplayFileSource } from './replay-source.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'leuko-replay-source-'));
  dirs.push(d);
  return d;
}

async function readAll(file: string, chunkBytes?: number): Promise<string[]> {
  const lines: string[] = [];
  const source = createReplayFileSource({ id: 'r', path: file, batchLines: 7, ...(chunkBytes ? { chunkBytes } : {}) });
  await source.run(
    async (b: LineBatch) => {
      lines.push(...b.lines);
    },
    { signal: new AbortController().signal, warn: () => undefined },
  );
  return lines;
}

const LINES = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`);

describe('replay file source', () => {
  it('reads every line of a file once, in order, across chunk boundaries, with an unterminated last line', async () => {
    const file = path.join(tempDir(), 'a.log');
    writeFileSync(file, `${LINES.join('\n')}`);
    expect(await readAll(file, 4096)).toEqual(LINES);
  });

  it('reads a pipe (a FIFO here, standard input for `leuko replay -`): reads are sequential, never positioned', async () => {
    const fifo = path.join(tempDir(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer opens the FIFO's other end and writes in small pieces, as a decompressor would.
    const writer = createWriteStream(fifo);
    const written = (async () => {
      for (let i = 0; i < LINES.length; i += 250) {
        const piece = `${LINES.slice(i, i + 250).join('\n')}\n`;
        if (!writer.write(piece)) await new Promise<void>((r) => writer.once('drain', () => r()));
      }
      writer.end();
    })();
    const lines = await readAll(fifo, 4096);
    await written;
    expect(lines).toEqual(LINES);
  });
});
