import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DaemonSource } from './daemon.js';
import { watchSourcePatterns } from './pattern-watch.js';

describe('path pattern watcher', () => {
  it('follows files that appear later from their start, and lets go of those it added once gone', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'leuko-watch-'));
    mkdirSync(path.join(d, 'pods'));
    writeFileSync(path.join(d, 'pods', 'old.log'), '');
    const followed: DaemonSource[] = [];
    const stopped: string[] = [];
    const taken = new Set([path.join(d, 'pods', 'old.log')]);
    const w = watchSourcePatterns({
      patterns: [{ pattern: path.join(d, 'pods', '*.log'), format: 'auto', idFor: (p) => `pods:${p}` }],
      taken,
      intervalMs: 3_600_000,
      add: (s) => {
        followed.push(s);
        return { stop: async () => void stopped.push(s.source.id) };
      },
      log: () => {},
    });
    try {
      await w.scan();
      expect(followed).toEqual([]);
      writeFileSync(path.join(d, 'pods', 'web-1.log'), '');
      writeFileSync(path.join(d, 'pods', 'web-1.txt'), '');
      await w.scan();
      await w.scan();
      const id = `pods:${path.join(d, 'pods', 'web-1.log')}`;
      expect(followed.map((s) => [s.source.id, s.format])).toEqual([[id, 'auto']]);
      // Gone at one scan: perhaps a rotation in progress; at two in a row: let go.
      rmSync(path.join(d, 'pods', 'web-1.log'));
      await w.scan();
      expect(stopped).toEqual([]);
      await w.scan();
      expect(stopped).toEqual([id]);
      expect(taken.has(path.join(d, 'pods', 'web-1.log'))).toBe(false);
      // A file the config named at start is its source's to wait for, never let go here.
      rmSync(path.join(d, 'pods', 'old.log'));
      await w.scan();
      await w.scan();
      expect(stopped).toEqual([id]);
    } finally {
      await w.stop();
    }
  });
});
