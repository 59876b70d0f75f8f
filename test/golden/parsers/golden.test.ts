import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/core/clock.js';
import { createParser, parserNames } from '../../../src/parsers/index.js';

/**
 * Golden files: `<format>.log` (annotated samples; `#` lines are comments, not fed) and
 * `<format>.jsonl` (one `{line, result}` per fed line, `result` null when not recognized).
 * Every registered format must have a sample. `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the expectations; review the diff before committing it.
 */
// Timestamps without a zone are local time: pin the zone so the files do not depend on the host.
process.env.TZ = 'UTC';

const DIR = import.meta.dirname;
const NOW = Date.parse('2024-06-15T12:00:00Z');
const update = process.env.UPDATE_GOLDEN === '1';

function run(format: string): string {
  const parse = createParser(format, { clock: createManualClock(NOW), logPath: `/var/log/golden/${format}.log` });
  const lines = readFileSync(path.join(DIR, `${format}.log`), 'utf8').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('# ')) continue;
    out.push(JSON.stringify({ line, result: parse(line) }));
  }
  return `${out.join('\n')}\n`;
}

describe('parser golden files', () => {
  it('uses UTC for local timestamps', () => {
    expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(0);
  });

  for (const format of parserNames) {
    it(`${format}: has a sample and matches its expected events`, () => {
      const log = path.join(DIR, `${format}.log`);
      expect(existsSync(log), `missing sample ${log}`).toBe(true);
      const actual = run(format);
      const golden = path.join(DIR, `${format}.jsonl`);
      if (update) writeFileSync(golden, actual);
      expect(existsSync(golden), `missing ${golden}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
