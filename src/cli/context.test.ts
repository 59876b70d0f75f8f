import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LeukoConfig } from '../config/index.js';
import { toSourceSpecs } from './context.js';

type Sources = LeukoConfig['sources'];

describe('source specs from the config', () => {
  it('follows each file a path pattern names, once, with its own id', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'leuko-ctx-'));
    mkdirSync(path.join(d, 'pods/web'), { recursive: true });
    for (const f of ['a.log', 'b.log', 'c.txt', 'pods/web/0.log']) writeFileSync(path.join(d, f), '');
    const file = (p: string, id = `file:${p}`) =>
      ({ type: 'file', id, path: p, format: 'auto', start_at: 'end' }) as Sources[number];
    const sources: Sources = [
      file(path.join(d, 'a.log')),
      file(path.join(d, '*.log')),
      file(path.join(d, '*.log'), 'again'),
      file(path.join(d, 'pods/*/*.log'), 'pods'),
      { type: 'stdin', id: 'stdin', format: 'sshd' } as Sources[number],
    ];
    expect(toSourceSpecs({ sources }).map((s) => [s.id, s.type === 'file' ? s.path : '-'])).toEqual([
      [`file:${path.join(d, 'a.log')}`, path.join(d, 'a.log')],
      // The pattern's other files, under the ids they would have if listed alone; a.log is read once.
      [`file:${path.join(d, 'b.log')}`, path.join(d, 'b.log')],
      [`pods:${path.join(d, 'pods/web/0.log')}`, path.join(d, 'pods/web/0.log')],
      ['stdin', '-'],
    ]);
  });
});
