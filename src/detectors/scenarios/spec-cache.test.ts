import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenario } from './compile-scenario.js';
import { cacheableSpecs, defaultDataDirs, parseScenarioText, specCacheEntries } from './load.js';
import { builtinScenarioDir } from './paths.js';
import { cachedSpecs, specTextKey } from './spec-cache.js';
import type { Scenario } from './types.js';

const GOOD = `name: t/ssh
description: test
kind: leaky
filter: { event.dataset: sshd }
group_by: source.ip
capacity: 2
leakspeed: 10s
techniques: [T1110]
`;

/** What a compiled scenario is, minus its filter closures (compared by behaviour below). */
function shape(s: Scenario): unknown {
  const { filter: _f, cancelOn: _c, followedBy: _t, ...rest } = s;
  return rest;
}

describe('scenario spec cache', () => {
  it('covers every shipped scenario file, and its specs compile to the same scenarios after a JSON round trip', () => {
    const dir = builtinScenarioDir();
    const entries = specCacheEntries(dir);
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    expect(Object.keys(entries)).toHaveLength(files.length);
    for (const name of files) {
      const file = path.join(dir, name);
      const text = readFileSync(file, 'utf8');
      const full = parseScenarioText(text, file);
      const cached = JSON.parse(JSON.stringify(entries[specTextKey(text)])) as NonNullable<
        ReturnType<typeof cacheableSpecs>
      >;
      const dataDirs = defaultDataDirs(file);
      const compiled = cached.map((c) => compileScenario(c.spec, { file, line: c.line, dataDirs }).scenario);
      expect(compiled.map((s) => (s ? shape(s) : undefined))).toEqual(full.scenarios.map(shape));
    }
  });

  it('does not cache a file with any issue, so its problems are still reported with their lines', () => {
    expect(cacheableSpecs(GOOD, '/x/a.yaml')).toHaveLength(1);
    expect(cacheableSpecs(GOOD.replace('capacity: 2', 'capacity: -1'), '/x/a.yaml')).toBeUndefined();
    expect(
      cacheableSpecs(GOOD.replace('{ event.dataset: sshd }', '{ event.dataset|nope: sshd }'), '/x/a.yaml'),
    ).toBeUndefined();
  });

  it('is never read by code the bundler did not build (no build id): sources and tsc output parse every file', () => {
    expect(cachedSpecs(GOOD)).toBeUndefined();
    const text = readFileSync(path.join(builtinScenarioDir(), 'ssh-bf.yaml'), 'utf8');
    expect(cachedSpecs(text)).toBeUndefined();
  });
});
