import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writePrefix } from './prefix.js';

const dir = mkdtempSync(path.join(tmpdir(), 'leuko-prefix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writePrefix', () => {
  it('copies exactly the first N lines, whole, or the whole file when it has fewer', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 40 }).map((s) => s.replaceAll('\n', ' ')),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 80 }),
        (lines, n) => {
          const from = path.join(dir, 'in.log');
          const to = path.join(dir, 'out.log');
          writeFileSync(from, lines.map((l) => `${l}\n`).join(''));
          const copied = writePrefix(from, to, n);
          expect(copied).toBe(Math.min(n, lines.length));
          expect(readFileSync(to, 'utf8')).toBe(
            lines
              .slice(0, n)
              .map((l) => `${l}\n`)
              .join(''),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
  it('reads across its 1 MB read buffer', () => {
    const from = path.join(dir, 'big.log');
    const to = path.join(dir, 'big-out.log');
    const line = `${'x'.repeat(99)}\n`;
    writeFileSync(from, line.repeat(30_000));
    expect(writePrefix(from, to, 25_000)).toBe(25_000);
    expect(readFileSync(to, 'utf8')).toBe(line.repeat(25_000));
  });
});
