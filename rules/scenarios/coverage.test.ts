import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtins } from './test-kit.js';

describe('built-in scenarios', () => {
  const dir = import.meta.dirname;
  const tests = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && f !== 'coverage.test.ts')
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  it.each(builtins.map((s) => s.name))('%s has samples', (name) => {
    expect(tests.includes(`'${name}'`)).toBe(true);
  });
  it.each(builtins.map((s) => [s.name, s] as const))('%s is documented and mapped to ATT&CK', (_name, s) => {
    expect(s.description.length).toBeGreaterThan(10);
    expect(s.techniques.length).toBeGreaterThan(0);
  });
});
