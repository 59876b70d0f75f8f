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
    writeFileSync(path.join(d, 'pods', 'listed.log'), '');
    const old = path.join(d, 'pods', 'old.log');
    // listed.log is in the config on its own; old.log was named by the pattern at start.
    const taken = new Set([old, path.join(d, 'pods', 'listed.log')]);
    const w = watchSourcePatterns({
      patterns: [{ pattern: path.join(d, 'pods', '*.log'), format: 'auto', idFor: (p) => `pods:${p}` }],
      taken,
      adopted: new Map([[old, `pods:${old}`]]),
      intervalMs: 3_600_000,
      add: (s) => {
        followed.push(s);
        return { stop: async () => void stopped.push(s.source.id) };
      },
      release: async (id) => void stopped.push(id),
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
      // A pattern's file followed since start is let go the same way (a pod that ran before
      // Leuko started and has finished since)...
      rmSync(old);
      await w.scan();
      expect(stopped).toEqual([id]);
      await w.scan();
      expect(stopped).toEqual([id, `pods:${old}`]);
      expect(taken.has(old)).toBe(false);
      // ...and a file back at its path is a new one, followed from its first line.
      writeFileSync(old, '');
      await w.scan();
      expect(followed.map((s) => s.source.id)).toEqual([id, `pods:${old}`]);
      // A file the config lists on its own is its source's to wait for, never let go here.
      rmSync(path.join(d, 'pods', 'listed.log'));
      await w.scan();
      await w.scan();
      expect(stopped).toEqual([id, `pods:${old}`]);
    } finally {
      await w.stop();
    }
  });
});
