import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSigmaRules } from '../../src/detectors/sigma/load.js';
import { CORPORA } from '../support/cli.js';

/**
 * Acceptance 2: the SigmaHQ rules for linux, web and network (in rules/, rules-emerging-threats/
 * and rules-threat-hunting/) load, or are reported with a precise reason; fewer than 2 % are
 * unsupported. Rules whose logsource no Leuko source produces still load (they run in
 * `leuko rules test`) and carry the reason they are not fed.
 */
const ROOT = path.join(CORPORA, 'sigmahq');
const FOLDERS = [
  'rules/linux',
  'rules/web',
  'rules/network',
  'rules-emerging-threats',
  'rules-threat-hunting/linux',
  'rules-threat-hunting/web',
  'rules-threat-hunting/network',
];

describe('SigmaHQ linux/web/network rules load', () => {
  it('loads at least 98 % of the rules and names a reason for every other one', () => {
    let total = 0;
    let unsupported = 0;
    const lines: string[] = [];
    const reasons = new Map<string, number>();
    for (const folder of FOLDERS) {
      const set = loadSigmaRules([path.join(ROOT, folder)], { placeholders: {} });
      const n = set.rules.length + set.correlations.length + set.unsupported.length;
      const fed = set.rules.filter((r) => r.route.fed).length;
      total += n;
      unsupported += set.unsupported.length;
      for (const u of set.unsupported) {
        expect(u.reason.length).toBeGreaterThan(10);
        reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1);
      }
      for (const r of set.rules) {
        if (!r.route.fed) {
          expect(r.route.reason).toMatch(/^logsource .+: /);
          const key = `not fed: ${r.route.reason}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      }
      lines.push(
        `${folder}: ${n} rules, ${set.rules.length} loaded (${fed} fed by Leuko sources), ${set.unsupported.length} unsupported`,
      );
    }
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6);
    process.stdout.write(
      `[sigma corpus] ${lines.join('\n[sigma corpus] ')}\n[sigma corpus] total ${total}, unsupported ${unsupported} (${((100 * unsupported) / total).toFixed(2)} %)\n${top.map(([r, n]) => `[sigma corpus]   ${n} × ${r}`).join('\n')}\n`,
    );
    expect(total).toBeGreaterThan(400);
    expect(unsupported / total).toBeLessThan(0.02);
  });
});
