import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canWriteOrCreate, defaultStoreDir } from './default-dir.js';

const root = mkdtempSync(join(tmpdir(), 'leuko-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('defaultStoreDir', () => {
  it('prefers /var/lib/leuko when usable', () => {
    expect(defaultStoreDir({ canUse: () => true, env: { XDG_STATE_HOME: '/x' } })).toBe('/var/lib/leuko');
  });

  it('falls back to an absolute XDG_STATE_HOME, then ~/.local/state', () => {
    const deps = { canUse: () => false, home: '/home/ann' };
    expect(defaultStoreDir({ ...deps, env: { XDG_STATE_HOME: '/state' } })).toBe('/state/leuko');
    expect(defaultStoreDir({ ...deps, env: { XDG_STATE_HOME: 'relative/state' } })).toBe(
      '/home/ann/.local/state/leuko',
    );
    expect(defaultStoreDir({ ...deps, env: {} })).toBe('/home/ann/.local/state/leuko');
  });
});

describe('canWriteOrCreate', () => {
  it('accepts a writable directory or a creatable path below one, and refuses files', () => {
    expect(canWriteOrCreate(root)).toBe(true);
    expect(canWriteOrCreate(join(root, 'a', 'b', 'c'))).toBe(true);
    writeFileSync(join(root, 'file'), 'x');
    expect(canWriteOrCreate(join(root, 'file'))).toBe(false);
    expect(canWriteOrCreate(join(root, 'file', 'below'))).toBe(false);
  });
});
