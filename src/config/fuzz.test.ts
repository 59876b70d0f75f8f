import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseConfigText } from './load.js';
import type { LoadResult } from './types.js';

const probe = { exists: () => false, journaldAvailable: false };

const VALID = `sources:
  - { type: file, path: /var/log/auth.log, format: sshd }
policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }
store: { path: /var/lib/leuko }
decisions: { default_duration: 4h, escalation: { factor: 2 } }
`;

function wellFormed(r: LoadResult, text: string): void {
  const lines = text.split('\n').length;
  const issues = r.ok ? r.warnings : r.issues;
  if (!r.ok) expect(issues.some((i) => i.severity === 'error')).toBe(true);
  for (const i of issues) {
    expect(i.file).toBe('junk.yaml');
    expect(i.message.length).toBeGreaterThan(0);
    expect(i.hint.length).toBeGreaterThan(0);
    expect(typeof i.key).toBe('string');
    if (i.line !== undefined) {
      expect(i.line).toBeGreaterThanOrEqual(1);
      expect(i.line).toBeLessThanOrEqual(lines + 1);
    }
  }
}

const check = (text: string) => {
  const r = parseConfigText(text, 'junk.yaml', { probe, baseDir: '/' });
  wellFormed(r, text);
};

describe('junk never throws', () => {
  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), check), { numRuns: 400 });
  });

  it('YAML-ish characters', () => {
    const ch = fc.constantFrom(...' \n\t:-[]{},"\'&*!|>#%@`?abc19./'.split(''));
    fc.assert(
      fc.property(
        fc.array(ch, { maxLength: 200 }).map((a) => a.join('')),
        check,
      ),
      { numRuns: 500 },
    );
  });

  it('well-formed YAML of any shape, also under the real section names', () => {
    const section = fc.constantFrom('sources', 'policy', 'store', 'scenarios', 'decisions', 'log', 'responders', 'x');
    const doc = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(section, fc.jsonValue()),
      fc.record({
        sources: fc.array(
          fc.dictionary(fc.constantFrom('type', 'path', 'format', 'id', 'listen_udp', 'units'), fc.jsonValue()),
        ),
      }),
    );
    fc.assert(
      fc.property(doc, (d) => check(stringify(d))),
      { numRuns: 400 },
    );
  });

  it('a valid config with random edits', () => {
    const edit = fc.tuple(fc.nat(VALID.length), fc.nat(5), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), (edits) => {
        let text = VALID;
        for (const [at, del, ins] of edits) text = text.slice(0, at) + ins + text.slice(at + del);
        check(text);
      }),
      { numRuns: 500 },
    );
  });
});
