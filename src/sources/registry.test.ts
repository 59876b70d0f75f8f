import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSource } from './testing/run-source.js';
import { createSource, getSourceDefinition, sourceRegistry } from './index.js';

describe('source registry', () => {
  it('knows the four built-in types', () => {
    expect(Object.keys(sourceRegistry).sort()).toEqual(['file', 'journald', 'stdin', 'syslog']);
  });

  it('creates a source by type', async () => {
    const input = new PassThrough();
    const src = createSource('stdin', { id: 's', input });
    expect(src.id).toBe('s');
    const r = runSource(src);
    input.end('a\n');
    await r.done;
    expect(r.lines()).toEqual(['a']);
  });

  it('an unknown type names the known ones', () => {
    expect(() => getSourceDefinition('kafka')).toThrow(
      /unknown source type "kafka"; known: file, stdin, syslog, journald/,
    );
  });

  it('journald says why it cannot run', async () => {
    const r = await sourceRegistry.journald.canRun?.({ id: 'j', command: '/nonexistent/journalctl' });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('/nonexistent/journalctl') });
  });
});
