import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogWatch, mentions } from './log-watch.js';
import { labNow } from './proc.js';

describe('mentions', () => {
  it('matches whole addresses only', () => {
    expect(mentions('Failed password for root from 10.77.5.1 port 22 ssh2', '10.77.5.1')).toBe(true);
    expect(mentions('Failed password for root from 10.77.5.10 port 22 ssh2', '10.77.5.1')).toBe(false);
    expect(mentions('10.77.5.1 - - [23/Nov/2026] "GET / HTTP/1.1" 200', '10.77.5.1')).toBe(true);
    expect(mentions('from 110.77.5.1 port', '10.77.5.1')).toBe(false);
    expect(mentions('rhost=10.77.5.1', '10.77.5.1')).toBe(true);
    expect(mentions('x 10.77.5.10 then 10.77.5.1.', '10.77.5.1')).toBe(false);
    expect(mentions('x 10.77.5.10 then 10.77.5.1]', '10.77.5.1')).toBe(true);
  });
});

describe('createLogWatch', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-lab-watch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sees only lines written after it started, across files, joining partial writes', async () => {
    const a = path.join(dir, 'a.log');
    const b = path.join(dir, 'b.log');
    writeFileSync(a, 'old line from 192.0.2.7\n');
    writeFileSync(b, '');
    const w = await createLogWatch([a, b], 1000);
    try {
      appendFileSync(a, 'new line from 192.0.2.7 par');
      await w.flush();
      expect(w.linesFrom('192.0.2.7')).toEqual([]);
      appendFileSync(a, 'tial\n');
      appendFileSync(b, '192.0.2.7 - - "GET /" 404\n192.0.2.8 - - "GET /" 200\n');
      await w.flush();
      const lines = w.linesFrom('192.0.2.7').map((l) => [path.basename(l.file), l.line]);
      expect(lines).toEqual([
        ['a.log', 'new line from 192.0.2.7 partial'],
        ['b.log', '192.0.2.7 - - "GET /" 404'],
      ]);
      expect(w.firstFrom('192.0.2.8')?.line).toBe('192.0.2.8 - - "GET /" 200');
      expect(w.firstFrom('192.0.2.9')).toBeUndefined();
      // Stamped when read, in order, on the lab's clock.
      const at = w.linesFrom('192.0.2.7').map((l) => l.at);
      expect(at[0]).toBeLessThanOrEqual(at[1]!);
      expect(Math.abs(at[0]! - labNow())).toBeLessThan(60_000);
    } finally {
      await w.stop();
    }
  });
});
