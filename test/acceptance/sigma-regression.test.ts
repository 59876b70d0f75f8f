import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SigmaEngine } from '../../src/detectors/sigma/engine.js';
import { eventTime, toFlatRecord } from '../../src/detectors/sigma/event-input.js';
import { loadSigmaRules } from '../../src/detectors/sigma/load.js';
import { CORPORA } from '../support/cli.js';

/**
 * Acceptance 1: every rule of SigmaHQ's regression set matches the events recorded for it.
 * The data files hold one or more pretty-printed Windows events (`{Event: {System,
 * EventData}}`); `toFlatRecord` flattens them to Sigma's field names. Upstream `match_count`
 * is a floor, not an exact target: in three cases more recorded events satisfy the rule as
 * written than upstream counted (e.g. `TargetFilename|contains: \AnyDesk\user.conf` also holds
 * for `user.conf.new` and `user.conf~RF….TMP`), and those extra matches are right by the spec.
 */
const ROOT = path.join(CORPORA, 'sigmahq');

interface IndexEntry {
  rule: string;
  id: string;
  tests: { name: string; path: string; match_count: number | null }[];
}

/** Split a file of concatenated JSON documents. */
function jsonDocuments(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  let esc = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
  }
  return out;
}

describe('Sigma regression corpus (SigmaHQ regression_rules × regression_data)', () => {
  const index = JSON.parse(readFileSync(path.join(ROOT, 'regression_index.json'), 'utf8')) as IndexEntry[];

  it('has the corpus', () => {
    expect(index.length).toBeGreaterThan(90);
  });

  it('every rule loads and matches its recorded events', () => {
    let matchedRules = 0;
    let exactCounts = 0;
    const failures: string[] = [];
    for (const entry of index) {
      const set = loadSigmaRules([path.join(ROOT, 'regression_rules', entry.rule)], { placeholders: {} });
      if (set.rules.length !== 1) {
        failures.push(`${entry.rule}: ${set.unsupported.map((u) => u.reason).join('; ') || 'no rule'}`);
        continue;
      }
      expect(set.rules[0]!.id).toBe(entry.id);
      const engine = new SigmaEngine(set, { gateByLogsource: false });
      let ruleOk = true;
      for (const t of entry.tests) {
        const docs = jsonDocuments(readFileSync(path.join(ROOT, t.path.replace(/\.evtx$/, '.json')), 'utf8'));
        let n = 0;
        for (const doc of docs) {
          const rec = toFlatRecord(doc);
          if (engine.evaluate(rec, eventTime(rec, 0)).rules.length > 0) n++;
        }
        const floor = Math.max(1, t.match_count ?? 1);
        if (n < floor) {
          ruleOk = false;
          failures.push(`${entry.rule}: ${n} of ${docs.length} events matched, want ≥ ${floor}`);
        }
        if (t.match_count === null || n === t.match_count) exactCounts++;
      }
      if (ruleOk) matchedRules++;
    }
    process.stdout.write(
      `[sigma regression] rules matched ${matchedRules}/${index.length}; exact upstream match_count ${exactCounts}/${index.reduce((a, e) => a + e.tests.length, 0)}\n`,
    );
    expect(failures).toEqual([]);
    expect(matchedRules).toBe(index.length);
  });
});
