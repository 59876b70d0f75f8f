import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock } from './instance-lock.js';

describe('acquireInstanceLock', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const fresh = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'leuko-lock-'));
    dirs.push(d);
    return path.join(d, 'store');
  };

  it('lets one holder in, refuses a second with a message naming the store, and frees on release', () => {
    const dir = fresh();
    const first = acquireInstanceLock(dir);
    expect(() => acquireInstanceLock(dir)).toThrow(/another leuko daemon is running on the store .*store/);
    first.release();
    const again = acquireInstanceLock(dir);
    again.release();
  });

  it('locks each store directory on its own', () => {
    const a = acquireInstanceLock(fresh());
    const b = acquireInstanceLock(fresh());
    a.release();
    b.release();
  });
});
