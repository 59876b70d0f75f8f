import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPORA, runCli } from '../support/cli.js';
import {
  CROWDSEC_ALERT_CASES,
  CROWDSEC_EXTRA_ALERT_CASES,
  CROWDSEC_SILENT_CASES,
  hubSourceType,
  hubSourceValue,
} from '../support/crowdsec-cases.js';

/**
 * Acceptance, as a user runs it: `leuko replay --json LOG` on each CrowdSec hub case alerts on
 * every source address the case's scenario.assert expects, and the two false-positive cases
 * raise no alert at all. Year-less syslog lines get their year inferred from "now".
 */
const TESTS = path.join(CORPORA, 'crowdsec-hub/tests');
const CASES = CROWDSEC_ALERT_CASES;
const SILENT = CROWDSEC_SILENT_CASES;

interface ReplayJson {
  lines: number;
  alerts: { scenario: string; entity: { type: string; value: string } }[];
}

function logOf(name: string): string {
  const dir = path.join(TESTS, name);
  const config = readFileSync(path.join(dir, 'config.yaml'), 'utf8');
  const file = /^log_file:\s*(\S+)/m.exec(config)?.[1] ?? readdirSync(dir).find((f) => f.endsWith('.log'));
  if (!file) throw new Error(`no log file in ${dir}`);
  return path.join(dir, file);
}

/** The source addresses `scenario.assert` expects: `"X" in results[N].Overflow.GetSources()`. */
function expectedSources(name: string): string[] {
  const text = readFileSync(path.join(TESTS, name, 'scenario.assert'), 'utf8');
  return [
    ...new Set([...text.matchAll(/"([^"]+)" in results\[\d+\]\.Overflow\.GetSources\(\)/g)].map((m) => m[1] as string)),
  ];
}

function replay(name: string): ReplayJson {
  const r = runCli(['replay', '--json', logOf(name)]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReplayJson;
}

describe('leuko replay on CrowdSec hub cases', () => {
  const check = (name: string) => {
    const out = replay(name);
    // Upstream's sources are addresses, or for host scenarios a process id or a user name.
    const alerted = new Set(out.alerts.map((a) => `${a.entity.type}:${a.entity.value}`));
    const expected = expectedSources(name);
    const key = (src: string) => `${hubSourceType(src)}:${hubSourceValue(src)}`;
    return { name, expected, missing: expected.filter((src) => !alerted.has(key(src))) };
  };
  const results = CASES.map(check);

  it.each(results.map((r) => [r.name, r]))('%s: alerts on every expected source address', (_name, r) => {
    expect(r.expected.length).toBeGreaterThan(0);
    expect(r.missing).toEqual([]);
  });

  it('holds for at least 13 of the 14 cases', () => {
    expect(results.filter((r) => r.missing.length === 0).length).toBeGreaterThanOrEqual(13);
  });

  // The hub cases beyond the list, through the CLI's own format recognition too
  // (Traefik JSON, kernel firewall records, Postfix).
  it.each(CROWDSEC_EXTRA_ALERT_CASES.map((name) => [name]))(
    '%s (beyond the list): alerts on every expected source',
    (name) => {
      const r = check(name);
      expect(r.expected.length).toBeGreaterThan(0);
      expect(r.missing).toEqual([]);
    },
  );

  it.each(SILENT)('%s: raises no alert at all', (name) => {
    const out = replay(name);
    expect(out.lines).toBeGreaterThan(0);
    expect(out.alerts).toEqual([]);
  });
});
