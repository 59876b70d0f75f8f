import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Acceptance 4 of issue 6 through the CLI, as an operator runs it: replay logs into a store; a
 * false-positive verdict proposes a suppression and shows the replay diff; once accepted the
 * same pattern no longer alerts while the other scenarios still do; a true positive's
 * indicators ban the same attacker (and its payload from a new address) on the first line.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-feedback-'));
const store = path.join(dir, 'store');
const config = path.join(dir, 'leuko.yaml');
writeFileSync(config, 'learning:\n  memory:\n    expiry: 30d\n    ban_duration: 12h\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QA = '198.51.100.77'; // the shop's own link checker: many 404s, a false positive
const PROBER = '203.0.113.60'; // a real scanner, same scenario
const SQLI = '203.0.113.50'; // a real SQL injection attacker
const SQLI_NEXT = '192.0.2.99'; // a new address sending the remembered payload

const PAYLOAD = "1'%20UNION%20SELECT%20username,password%20FROM%20wp_users--";

function stamp(t: number): string {
  const d = new Date(t);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function line(
  t: number,
  ip: string,
  uri: string,
  status: number,
  ua = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/126.0',
): string {
  return `${ip} - - [${stamp(t)}] "GET ${uri} HTTP/1.1" ${status} 512 "-" "${ua}"`;
}

/** One day's log: the link checker's 404 burst, a scanner's 404 burst, a SQL injection run. */
function dayLog(start: number): string {
  const out: { t: number; l: string }[] = [];
  for (let i = 0; i < 20; i++)
    out.push({ t: start + i * 1000, l: line(start + i * 1000, QA, `/old-page-${i}/`, 404, 'LinkChecker/10.2') });
  for (let i = 0; i < 20; i++)
    out.push({
      t: start + 60_000 + i * 700,
      l: line(start + 60_000 + i * 700, PROBER, `/backup-${i}.zip`, 404, 'Mozilla/5.0'),
    });
  for (let i = 0; i < 4; i++)
    out.push({
      t: start + 120_000 + i * 3000,
      l: line(start + 120_000 + i * 3000, SQLI, `/product/?id=${i}&q=${PAYLOAD}`, 200, 'sqlmap/1.8#stable'),
    });
  for (let i = 0; i < 30; i++) out.push({ t: start + i * 5000, l: line(start + i * 5000, '192.0.2.10', '/', 200) });
  return `${out
    .sort((a, b) => a.t - b.t)
    .map((o) => o.l)
    .join('\n')}\n`;
}

interface ReplayJson {
  alerts: { scenario: string; entity: { type: string; value: string } }[];
  decisions: { scope: string; value: string; scenario: string | null; reason: string; action: string }[];
}

function replay(file: string): ReplayJson {
  const r = runCli(['--config', config, 'replay', '--json', '--store', store, file]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReplayJson;
}

const alerted = (r: ReplayJson, ip: string, scenario: string) =>
  r.alerts.some((a) => a.entity.value === ip && a.scenario === scenario);

function incidentOf(ip: string): string {
  const r = runCli(['--config', config, '--store', store, 'incidents', 'list', '--json']);
  expect(r.status, r.stderr).toBe(0);
  const list = JSON.parse(r.stdout) as { id: string; entity: { value: string } }[];
  const found = list.find((i) => i.entity.value === ip);
  if (!found) throw new Error(`no incident for ${ip}: ${r.stdout}`);
  return found.id;
}

describe('leuko feedback (acceptance 4)', () => {
  const day1 = Date.UTC(2026, 11, 1, 10);
  const day2 = day1 + 86_400_000;

  it('a false positive proposes a suppression, shows the replay diff, and once accepted that pattern stops alerting while others still do', {
    timeout: 180_000,
  }, () => {
    const f1 = path.join(dir, 'day1.log');
    writeFileSync(f1, dayLog(day1));
    const first = replay(f1);
    expect(alerted(first, QA, 'leuko/http-probing')).toBe(true);
    expect(alerted(first, PROBER, 'leuko/http-probing')).toBe(true);
    expect(alerted(first, SQLI, 'leuko/http-sqli')).toBe(true);

    const inc = incidentOf(QA);
    const proposed = runCli(['--config', config, '--store', store, 'feedback', inc, '--false-positive', '--json']);
    expect(proposed.status, proposed.stderr).toBe(0);
    const p = JSON.parse(proposed.stdout) as {
      proposals: { id: string; status: string; scenario: string; entity?: { value: string } }[];
      replay: {
        lines: number;
        lost: { scenario: string; entity: string }[];
        kept: { scenario: string; entity: string }[];
      };
      accepted: null;
    };
    expect(p.proposals).toEqual([
      expect.objectContaining({
        status: 'proposed',
        scenario: 'leuko/http-probing',
        entity: expect.objectContaining({ value: QA }),
      }),
    ]);
    expect(p.replay.lines).toBeGreaterThan(70);
    expect(p.replay.lost).toEqual([expect.objectContaining({ scenario: 'leuko/http-probing', entity: `ip:${QA}` })]);
    expect(p.replay.kept.map((g) => g.entity)).toEqual(expect.arrayContaining([`ip:${PROBER}`, `ip:${SQLI}`]));
    expect(p.accepted).toBeNull();

    // Not active yet: the same pattern still alerts.
    const f2 = path.join(dir, 'day2.log');
    writeFileSync(f2, dayLog(day2));
    // (checked after acceptance below; a proposal alone changes nothing in the pipeline)

    const accepted = runCli(['--config', config, '--store', store, 'feedback', inc, '--false-positive', '--accept']);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/alerts lost: 1; alerts kept: \d+/);
    expect(accepted.stdout).toMatch(/accepted: 1 suppression\(s\) active/);
    const shown = runCli(['--config', config, '--store', store, 'incidents', 'show', inc, '--json']);
    expect(JSON.parse(shown.stdout).incident.status).toBe('dismissed');

    const second = replay(f2);
    expect(alerted(second, QA, 'leuko/http-probing')).toBe(false);
    expect(alerted(second, PROBER, 'leuko/http-probing')).toBe(true);
    expect(alerted(second, SQLI, 'leuko/http-sqli')).toBe(true);
  });

  it("a true positive's indicators ban the same attacker on its next first line", { timeout: 180_000 }, () => {
    const inc = incidentOf(SQLI);
    const r = runCli(['--config', config, '--store', store, 'feedback', inc, '--true-positive', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const memories = (JSON.parse(r.stdout) as { memories: { kind: string; value: string }[] }).memories;
    expect(memories).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'ip', value: SQLI }),
        expect.objectContaining({ kind: 'user_agent', value: 'sqlmap/1.8#stable' }),
        expect.objectContaining({ kind: 'payload' }),
      ]),
    );

    // Day 3: the attacker comes back with one innocent-looking request; a new address sends the
    // remembered payload once. Neither would trip a scenario (one line each).
    const t = Date.UTC(2026, 11, 3, 9);
    const f3 = path.join(dir, 'day3.log');
    writeFileSync(
      f3,
      [
        line(t, '192.0.2.10', '/', 200),
        line(t + 1000, SQLI, '/', 200),
        line(t + 2000, SQLI_NEXT, `/shop/?q=${PAYLOAD}`, 200),
        line(t + 3000, '192.0.2.10', '/about/', 200),
      ].join('\n') + '\n',
    );
    const third = replay(f3);
    const ban = third.decisions.find((d) => d.value === SQLI);
    expect(ban).toMatchObject({ action: 'ban', scenario: 'leuko/immune-memory' });
    expect(ban?.reason).toMatch(/immune memory mem_\w+: source\.ip matches ip/);
    expect(third.alerts.filter((a) => a.entity.value === SQLI)).toHaveLength(1);
    expect(third.decisions.find((d) => d.value === SQLI_NEXT)).toMatchObject({
      action: 'ban',
      scenario: 'leuko/immune-memory',
      reason: expect.stringMatching(/url\.original matches payload/),
    });
    expect(third.decisions.some((d) => d.value === '192.0.2.10')).toBe(false);
  });
});
