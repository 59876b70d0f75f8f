import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Golden replays: each folder holds an input log and the expected `leuko replay --json`
 * output (alerts and decisions; ids and wall-clock fields never appear there). Regenerate with
 * UPDATE_GOLDEN=1 after a deliberate change, and read the diff before committing it.
 */
const DIR = path.join(import.meta.dirname, 'replay');
const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('golden replays', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('%s', (name) => {
    const r = runCli(['replay', '--json', path.join(DIR, name, 'input.log')]);
    expect(r.status, r.stderr).toBe(0);
    const actual = `${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`;
    const file = path.join(DIR, name, 'expected.json');
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
