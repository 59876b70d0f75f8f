import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Threat intel as a user runs it: `leuko --config CFG replay --json LOG` with a plain list, a
 * STIX 2.1 bundle and a MISP feed folder configured. Listed sources get decisions with origin
 * `intel` and scenario `intel/<feed>`; a STIX entry's `valid_until` caps the ban; unlisted
 * and expired entries are left alone.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-intel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (ip: string, sec: number, url = '/') =>
  `${ip} - - [06/Dec/2026:10:00:${String(sec).padStart(2, '0')} +0000] "GET ${url} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"`;

describe('leuko replay with intel feeds', () => {
  it('bans listed addresses with origin intel, capped by STIX valid_until, and nothing else', () => {
    writeFileSync(path.join(dir, 'drop.txt'), '# DROP-style list\n203.0.113.0/24 ; SBL1\n');
    writeFileSync(
      path.join(dir, 'bundle.json'),
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--e2e',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            pattern_type: 'stix',
            pattern: "[ipv4-addr:value = '198.51.100.7']",
            valid_until: '2026-12-06T11:00:00Z',
          },
          {
            type: 'indicator',
            spec_version: '2.1',
            pattern_type: 'stix',
            pattern: "[ipv4-addr:value = '198.51.100.8']",
            valid_until: '2026-01-01T00:00:00Z',
          },
        ],
      }),
    );
    const misp = path.join(dir, 'misp');
    mkdirSync(misp);
    writeFileSync(path.join(misp, 'manifest.json'), JSON.stringify({ 'aaaa-1': { info: 'e2e' } }));
    writeFileSync(
      path.join(misp, 'aaaa-1.json'),
      JSON.stringify({ Event: { Attribute: [{ type: 'ip-src', value: '192.0.2.44', to_ids: true }] } }),
    );
    writeFileSync(
      path.join(dir, 'leuko.yaml'),
      [
        'intel:',
        '  feeds:',
        '    - { name: drop, path: drop.txt, format: plain, duration: 6h }',
        '    - { name: partner, path: bundle.json, format: stix, duration: 24h }',
        '    - { name: misp, path: misp, format: misp, action: ban, duration: 1h }',
        '',
      ].join('\n'),
    );
    const log = path.join(dir, 'access.log');
    writeFileSync(
      log,
      `${[line('203.0.113.50', 1), line('203.0.113.50', 2), line('198.51.100.7', 3), line('198.51.100.8', 4), line('192.0.2.44', 5), line('192.0.2.99', 6)].join('\n')}\n`,
    );
    const r = runCli(['--config', path.join(dir, 'leuko.yaml'), 'replay', '--json', log]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      decisions: { value: string; origin: string; scenario: string; duration_s: number }[];
    };
    const byIp = Object.fromEntries(out.decisions.map((d) => [d.value, d]));
    expect(Object.keys(byIp).sort()).toEqual(['192.0.2.44', '198.51.100.7', '203.0.113.50']);
    // Intel durations are exact: no escalation or jitter stretches them past the feed entry.
    const near = (got: number | undefined, want: number) => expect(got).toBe(want);
    expect(byIp['203.0.113.50']).toMatchObject({ origin: 'intel', scenario: 'intel/drop' });
    near(byIp['203.0.113.50']?.duration_s, 6 * 3600);
    // valid_until 11:00, seen at 10:00:03: the ban ends with the indicator, not after 24 h.
    expect(byIp['198.51.100.7']).toMatchObject({ origin: 'intel', scenario: 'intel/partner' });
    near(byIp['198.51.100.7']?.duration_s, 3597);
    expect(byIp['192.0.2.44']).toMatchObject({ origin: 'intel', scenario: 'intel/misp' });
    near(byIp['192.0.2.44']?.duration_s, 3600);
  });

  it('reports a feed config mistake with the key to fix', () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'intel:\n  feeds:\n    - { name: x, format: stix }\n');
    const r = runCli(['--config', path.join(dir, 'bad.yaml'), 'replay', '--json', path.join(dir, 'access.log')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('url');
  });
});
