import { describe, expect, it } from 'vitest';
import { classifyRequest } from '../../src/detectors/web-attacks/classify.js';
import { runCli } from '../support/cli.js';
import { type CrsStage, FAMILY_CLASSES, loadCrsStages, loadGotestwaf, loadHttpParams } from './web-attacks-corpora.js';

/**
 * Acceptance 4: OWASP CRS regression stages, turned into nginx access-log lines and fed through
 * `leuko parse --jsonl`, must come out with `attack.class` of the right family for at least
 * 90 % of positives per family (930 LFI, 931 RFI, 932 RCE, 941 XSS, 942 SQLi) at paranoia
 * levels 1-2; benign httpparams values must be flagged under 1 %.
 *
 * "Reaches the access log" (see `reachesAccessLog`): the record has no body and no header
 * other than User-Agent, Referer and transport headers (Host, Accept*, Connection,
 * Keep-Alive, Content-Type/Length, Cache-Control, Pragma...). A payload in the body, a cookie
 * or any other header never shows up in the log, so those stages are out of scope.
 */

/** nginx's default `escape=default`: `"`, `\` and bytes outside printable ASCII become `\xHH`. */
function nginxEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8'))
    out +=
      b === 0x22 || b === 0x5c || b < 0x20 || b >= 0x7f
        ? `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(b);
  return out;
}

function accessLine(s: CrsStage, i: number): string {
  const r = s.request;
  const ip = `198.51.100.${(i % 250) + 1}`;
  return `${ip} - - [06/Dec/2026:10:00:${String(i % 60).padStart(2, '0')} +0000] "${s.method} ${nginxEscape(r.url ?? '/')} HTTP/1.1" 200 12 "${nginxEscape(r.referrer ?? '-')}" "${nginxEscape(r.userAgent ?? '-')}"`;
}

describe('web-attack classification on CRS regression stages (acceptance 4)', () => {
  const stages = loadCrsStages().filter(
    (s) => s.kind === 'positive' && s.pl !== null && s.pl <= 2 && s.family in FAMILY_CLASSES,
  );

  it('flags at least 90 % of access-log-reachable PL1-2 positives per family, through leuko parse --jsonl', () => {
    const input = `${stages.map(accessLine).join('\n')}\n`;
    const r = runCli(['parse', '--jsonl', '-'], { input });
    expect(r.status, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown> | null);
    expect(events).toHaveLength(stages.length);
    const perFamily = new Map<string, { hit: number; total: number }>();
    stages.forEach((s, i) => {
      const ev = events[i];
      expect(ev, `line ${i} of ${s.id} did not parse`).not.toBeNull();
      const cls = ev?.['attack.class'];
      const e = perFamily.get(s.family) ?? { hit: 0, total: 0 };
      e.total++;
      if (typeof cls === 'string' && FAMILY_CLASSES[s.family]!.includes(cls as never)) {
        e.hit++;
        expect(typeof ev?.['attack.fragment']).toBe('string');
      }
      perFamily.set(s.family, e);
    });
    const summary = Object.fromEntries([...perFamily].map(([f, e]) => [f, `${e.hit}/${e.total}`]));
    console.log('CRS PL1-2 access-log positives flagged with the right family:', summary);
    expect([...perFamily.keys()].sort()).toEqual(['930', '931', '932', '941', '942']);
    for (const [family, e] of perFamily)
      expect(e.hit / e.total, `family ${family}: ${e.hit}/${e.total}`).toBeGreaterThanOrEqual(0.9);
  });

  it('flags under 1 % of benign httpparams values, percent-encoded or raw in a query string', () => {
    const benign = loadHttpParams().filter((p) => p.label === 'norm');
    expect(benign.length).toBeGreaterThan(10_000);
    for (const encode of [encodeURIComponent, (v: string) => v.replace(/ /g, '+')]) {
      const flagged = benign.filter((b) => classifyRequest({ url: `/search?q=${encode(b.value)}` }) !== undefined);
      expect(
        flagged.length / benign.length,
        flagged
          .slice(0, 5)
          .map((f) => f.value)
          .join(' | '),
      ).toBeLessThan(0.01);
    }
  });

  it('recognizes the attack values of httpparams as their own class', () => {
    const want: Record<string, string> = { sqli: 'sqli', xss: 'xss' };
    for (const [type, cls] of Object.entries(want)) {
      const values = loadHttpParams().filter((p) => p.type === type);
      const hit = values.filter(
        (v) => classifyRequest({ url: `/search?q=${encodeURIComponent(v.value)}` })?.cls === cls,
      ).length;
      expect(hit / values.length, type).toBeGreaterThan(0.9);
    }
  });
});

describe('web-attack classification on gotestwaf cases (held-out check)', () => {
  const cases = loadGotestwaf();
  const classOf: Record<string, readonly string[]> = {
    'sql-injection': ['sqli'],
    'community-sqli': ['sqli'],
    'xss-scripting': ['xss'],
    'community-xss': ['xss'],
    'path-traversal': ['lfi', 'traversal'],
    'shell-injection': ['rce'],
    rce: ['rce'],
    'rce-urlpath': ['rce'],
  };

  it('classifies URL-parameter and URL-path payloads of the main families', () => {
    let total = 0;
    let hit = 0;
    for (const c of cases) {
      const name = c.file.split('/')[1]!.replace('.yml', '');
      const want = classOf[name];
      if (want === undefined) continue;
      const enc = encodeURIComponent(c.payload);
      const inPath = c.placeholders.includes('URLPath') && !c.placeholders.includes('URLParam');
      const got = classifyRequest({ url: inPath ? `/${enc}` : `/?p=${enc}` });
      total++;
      if (got && want.includes(got.cls)) hit++;
    }
    expect(total).toBeGreaterThan(50);
    expect(hit / total).toBeGreaterThan(0.85);
  });

  it('leaves the false-positive texts alone', () => {
    const texts = cases.filter((c) => c.file === 'false-pos/texts.yml');
    expect(texts.length).toBeGreaterThan(20);
    const flagged = texts.filter((t) => classifyRequest({ url: `/?p=${encodeURIComponent(t.payload)}` }) !== undefined);
    expect(flagged.map((f) => f.payload)).toEqual([]);
  });
});
