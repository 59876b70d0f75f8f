import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPORA, runCli } from '../support/cli.js';

/**
 * `leuko rules test`, `leuko rules list` and Sigma inside `leuko replay`, driven as a user
 * would: real SigmaHQ rules, our own rule and correlation files, real parsers.
 */
const SIGMAHQ = path.join(CORPORA, 'sigmahq/rules');
let dir: string;

const OWN_RULE = `title: SSH failed password
id: 11111111-0000-4000-8000-000000000001
name: ssh_failed_password
logsource: { product: linux, service: sshd }
tags: [attack.credential-access, attack.t1110.001]
detection:
  keywords: ['Failed password']
  condition: keywords
level: low
`;
const OWN_CORRELATION = `title: Many failed SSH passwords from one address
id: 11111111-0000-4000-8000-000000000002
tags: [attack.t1110]
correlation:
  type: event_count
  rules: [ssh_failed_password]
  group-by: [source.ip]
  timespan: 1m
  condition: { gte: 3 }
level: high
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-sigma-'));
  writeFileSync(path.join(dir, 'ssh.yml'), `${OWN_RULE}---\n${OWN_CORRELATION}`);
  writeFileSync(
    path.join(dir, 'events.jsonl'),
    [
      // ECS dotted: a base64 decode started by a process event
      JSON.stringify({ 'process.executable': '/usr/bin/base64', 'process.command_line': 'base64 -d /tmp/x' }),
      // ECS nested, same meaning
      JSON.stringify({ process: { executable: '/usr/bin/base64', command_line: 'base64 --decode' } }),
      // raw auditd names
      JSON.stringify({ type: 'EXECVE', a0: 'arecord', a1: '-vv', a2: '-fdat' }),
      JSON.stringify({ 'url.original': '/index.php?file=../../../etc/passwd', 'source.ip': '203.0.113.5' }),
      JSON.stringify({ message: 'nothing here' }),
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'ssh.jsonl'),
    [1, 2, 3, 4]
      .map((i) =>
        JSON.stringify({
          '@timestamp': `2024-06-14T10:00:0${i}Z`,
          message: `sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2`,
          'source.ip': '203.0.113.9',
        }),
      )
      .join('\n'),
  );
  writeFileSync(
    path.join(dir, 'audit.log'),
    [
      'type=SYSCALL msg=audit(1718362801.000:100): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=50 auid=1000 uid=1000 gid=1000 euid=1000 comm="arecord" exe="/usr/bin/arecord" key=(null)',
      'type=EXECVE msg=audit(1718362801.000:100): argc=3 a0="arecord" a1="-vv" a2="-fdat"',
      'type=EOE msg=audit(1718362801.000:100): ',
      'type=SYSCALL msg=audit(1718362802.000:101): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=51 auid=1000 uid=1000 gid=1000 euid=1000 comm="base64" exe="/usr/bin/base64" key=(null)',
      'type=EXECVE msg=audit(1718362802.000:101): argc=3 a0="base64" a1="-d" a2=2F746D702F7061796C6F6164',
      'type=EOE msg=audit(1718362802.000:101): ',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'access.log'),
    '203.0.113.5 - - [14/Jun/2024:18:00:00 +0000] "GET /index.php?file=../../../etc/passwd HTTP/1.1" 404 153 "-" "curl/8"\n',
  );
  writeFileSync(
    path.join(dir, 'leuko.yaml'),
    `sigma:\n  rules:\n    - ${path.join(SIGMAHQ, 'linux')}\n    - ${path.join(SIGMAHQ, 'web')}\n    - ./ssh.yml\n`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { matched: string[] });

describe('leuko rules test', () => {
  it('prints one {"matched": [...]} line per event, in rule order', () => {
    const r = runCli([
      'rules',
      'test',
      path.join(SIGMAHQ, 'linux/process_creation/proc_creation_lnx_base64_decode.yml'),
      path.join(SIGMAHQ, 'linux/auditd/lnx_auditd_audio_capture.yml'),
      path.join(SIGMAHQ, 'web/webserver_generic/web_path_traversal_exploitation_attempt.yml'),
      '--events',
      path.join(dir, 'events.jsonl'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual([
      { matched: ['e2072cab-8c9a-459b-b63c-40ae79e27031'] },
      { matched: ['e2072cab-8c9a-459b-b63c-40ae79e27031'] },
      { matched: ['a7af2487-9c2f-42e4-9bb9-ff961f0561d5'] },
      { matched: ['7745c2ea-24a5-4290-b680-04359cb84b35'] },
      { matched: [] },
    ]);
  });

  it('reports correlation rules on the event that completes them', () => {
    const r = runCli(['rules', 'test', path.join(dir, 'ssh.yml'), '--events', path.join(dir, 'ssh.jsonl')]);
    expect(r.status, r.stderr).toBe(0);
    const base = '11111111-0000-4000-8000-000000000001';
    const corr = '11111111-0000-4000-8000-000000000002';
    expect(lines(r.stdout)).toEqual([
      { matched: [base] },
      { matched: [base] },
      { matched: [base, corr] },
      { matched: [base] },
    ]);
  });

  it('names unsupported rules (and fails with --strict)', () => {
    writeFileSync(path.join(dir, 'bad.yml'), 'title: bad\ndetection:\n  sel: { a|frobnicate: x }\n  condition: sel\n');
    const args = ['rules', 'test', path.join(dir, 'bad.yml'), '--events', path.join(dir, 'events.jsonl')];
    const r = runCli(args);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('unknown modifier "frobnicate"');
    expect(lines(r.stdout)).toHaveLength(5);
    expect(runCli([...args, '--strict']).status).toBe(1);
  });
});

describe('Sigma in leuko replay', () => {
  it('raises detections with ATT&CK techniques from auditd, web and ssh logs', () => {
    const cfg = path.join(dir, 'leuko.yaml');
    const audit = runCli(['--config', cfg, 'replay', '--format', 'auditd', '--json', path.join(dir, 'audit.log')]);
    expect(audit.status, audit.stderr).toBe(0);
    const a = JSON.parse(audit.stdout) as { alerts: { scenario: string; techniques: string[]; explanation: string }[] };
    const byId = new Map(a.alerts.map((x) => [x.scenario, x]));
    expect(byId.get('sigma/a7af2487-9c2f-42e4-9bb9-ff961f0561d5')?.techniques).toEqual(['T1123']);
    expect(byId.get('sigma/e2072cab-8c9a-459b-b63c-40ae79e27031')?.explanation).toContain('Decode Base64 Encoded Text');

    const web = runCli(['--config', cfg, 'replay', '--format', 'nginx', '--json', path.join(dir, 'access.log')]);
    expect(web.status, web.stderr).toBe(0);
    const w = JSON.parse(web.stdout) as {
      alerts: { scenario: string; techniques: string[]; entity: { value: string } }[];
    };
    const trav = w.alerts.find((x) => x.scenario === 'sigma/7745c2ea-24a5-4290-b680-04359cb84b35');
    expect(trav?.techniques).toEqual(['T1190']);
    expect(trav?.entity.value).toBe('203.0.113.5');
  });

  it('runs correlation rules (and silences their base rules)', () => {
    const auth = path.join(dir, 'auth.log');
    writeFileSync(
      auth,
      [1, 2, 3]
        .map((i) => `Jun 14 10:00:0${i} web1 sshd[12${i}]: Failed password for root from 198.51.100.4 port 4${i} ssh2`)
        .join('\n'),
    );
    const r = runCli(['--config', path.join(dir, 'leuko.yaml'), 'replay', '--json', auth]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { alerts: { scenario: string; techniques: string[]; count: number }[] };
    const corr = out.alerts.filter((x) => x.scenario === 'sigma/11111111-0000-4000-8000-000000000002');
    expect(corr).toHaveLength(1);
    expect(corr[0]!.techniques).toEqual(['T1110']);
    expect(corr[0]!.count).toBe(3);
    expect(out.alerts.some((x) => x.scenario === 'sigma/11111111-0000-4000-8000-000000000001')).toBe(false);
  });
});

describe('leuko rules list', () => {
  it('lists built-in scenarios and Sigma rules with ATT&CK ids', () => {
    const r = runCli(['--config', path.join(dir, 'leuko.yaml'), 'rules', 'list', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; kind: string; attack: string[]; status: string }[];
    const scenarios = rows.filter((x) => x.kind.startsWith('scenario/'));
    expect(scenarios.length).toBeGreaterThan(5);
    for (const s of scenarios) expect(s.attack.length).toBeGreaterThan(0);
    const audio = rows.find((x) => x.id === 'a7af2487-9c2f-42e4-9bb9-ff961f0561d5');
    expect(audio).toMatchObject({ kind: 'sigma', attack: ['T1123'] });
    expect(audio?.status).toMatch(/^active/);
    expect(rows.find((x) => x.id === '11111111-0000-4000-8000-000000000002')?.kind).toBe(
      'sigma-correlation/event_count',
    );
  });
});
