import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssues, loadConfigFile, parseConfigText } from './index.js';
import type { HostProbe, LoadResult } from './types.js';

const probe: HostProbe = { exists: (p) => p.startsWith('/var/log/'), journaldAvailable: true };

const MINIMAL = `sources:
  - { type: file, path: /var/log/auth.log, format: sshd }
policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }
store: { path: /var/lib/leuko }
`;

function issuesOf(r: LoadResult): string {
  return formatIssues(r.ok ? r.warnings : r.issues);
}

describe('parseConfigText', () => {
  it('accepts the minimal file with no issue and fills every default', () => {
    const r = parseConfigText(MINIMAL, 'auth.yaml', { probe });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.config.sources).toEqual([
      { type: 'file', id: 'file:/var/log/auth.log', path: '/var/log/auth.log', format: 'sshd', start_at: 'end' },
    ]);
    expect(r.config.policy.allowlist).toEqual(['127.0.0.0/8', '::1/128']);
    expect(r.config.store.path).toBe('/var/lib/leuko');
    expect(r.config.decisions).toEqual({
      default_duration: 14400,
      escalation: { factor: 2, max_duration: 30 * 86400, jitter: 0.1 },
      ipv6_scope: 'ip',
      max_evidence: 10,
    });
    expect(r.config.log).toEqual({ level: 'info', format: 'text' });
    expect(Object.isFrozen(r.config.sources[0])).toBe(true);
  });

  it('reports every kind of error at once, each at its line', () => {
    const text = [
      'sources:', // 1
      '  - type: file', // 2
      '    path: /var/log/auth.log', // 3
      '    format: sshdd', // 4
      '  - type: fiel', // 5
      '  - { type: file }', // 6
      '  - type: stdin', // 7
      '    formt: sshd', // 8
      'policy:', // 9
      '  mode: obsrve', // 10
      '  allowlist: [10.0.0.0/33, localhost]', // 11
      'stroe: { path: /x }', // 12
      'decisions:', // 13
      '  default_duration: 4x', // 14
      '  escalation: { factor: 0.5, max_duration: true }', // 15
      '  max_evidence: 1.5', // 16
      'scenarios:', // 17
      '  overrides:', // 18
      '    leuko/ssh-bf: { capacity: 0, decision: { duration: 1h, scop: ip } }', // 19
      'log: { level: loud }', // 20
      '',
    ].join('\n');
    const r = parseConfigText(text, 'auth.yaml', { probe });
    expect(r.ok).toBe(false);
    expect(issuesOf(r)).toMatchInlineSnapshot(`
      "auth.yaml:4:5 sources[0].format: unknown format "sshdd" — hint: use one of auto, apache, apache-error, auditd, json, nginx, nginx-error, sshd, sudo, syslog (did you mean "sshd"?)
      auth.yaml:5:5 sources[1].type: unknown source type "fiel" — hint: use one of file, stdin, syslog, journald (did you mean "file"?)
      auth.yaml:6:5 sources[2].path: missing required key "path" — hint: add path: /var/log/auth.log
      auth.yaml:8:5 sources[3].formt: unknown key "formt" — hint: did you mean "format"? known keys here: type, id, format
      auth.yaml:10:3 policy.mode: unknown mode "obsrve" — hint: use one of observe, contain, heal (did you mean "observe"?)
      auth.yaml:11:15 policy.allowlist[0]: invalid address or CIDR range "10.0.0.0/33" — hint: the prefix length after "/" must be a whole number from 0 to 32 for IPv4
      auth.yaml:11:28 policy.allowlist[1]: invalid address or CIDR range "localhost" — hint: host names are not accepted (they can be re-pointed by whoever controls DNS); write an address like 203.0.113.7 or 2001:db8::1, or a CIDR range like 10.0.0.0/8 or 2001:db8::/32
      auth.yaml:12:1 stroe: unknown key "stroe" — hint: did you mean "store"? known keys here: sources, policy, store, scenarios, decisions, responders, log, sigma, fail2ban, intel, templates, learning, protect, api, exports, fleet
      auth.yaml:14:3 decisions.default_duration: invalid duration "4x" — hint: write a number of seconds or a duration like \`10s\`, \`90m\`, \`4h\`, \`2d\` (units ms, s, m, h, d, w; combine as \`1h30m\`)
      auth.yaml:15:17 decisions.escalation.factor: must be at least 1, got 0.5 — hint: use a number >= 1
      auth.yaml:15:30 decisions.escalation.max_duration: expected text or a number, got true — hint: write a number of seconds or a duration like \`10s\`, \`90m\`, \`4h\`, \`2d\` (units ms, s, m, h, d, w; combine as \`1h30m\`)
      auth.yaml:16:3 decisions.max_evidence: expected a whole number, got 1.5 — hint: write a whole number without quotes
      auth.yaml:19:21 scenarios.overrides["leuko/ssh-bf"].capacity: must be at least 1, got 0 — hint: use a number >= 1
      auth.yaml:19:60 scenarios.overrides["leuko/ssh-bf"].decision.scop: unknown key "scop" — hint: did you mean "scope"? known keys here: duration, scope, action
      auth.yaml:20:8 log.level: unknown level "loud" — hint: use one of trace, debug, info, warn, error, fatal, silent"
    `);
  });

  it('points YAML syntax errors at their line and still validates the rest', () => {
    const text = ['policy:', '  mode: observe', '  allowlist: [127.0.0.1', 'log:', '  level: nope', ''].join('\n');
    const r = parseConfigText(text, 'bad.yaml', { probe });
    expect(r.ok).toBe(false);
    expect(issuesOf(r)).toMatchInlineSnapshot(`
      "bad.yaml:1:1 sources: warning: no sources configured: leuko will only read what the command line gives it — hint: add a sources list, e.g. sources: [{ type: file, path: /var/log/auth.log, format: sshd }]
      bad.yaml:3:3 policy.allowlist: warning: allowlist does not cover loopback ::1 — hint: add ::1 so that leuko never blocks the host talking to itself
      bad.yaml:4:1 policy.allowlist[0]: YAML: flow sequence in block collection must be sufficiently indented and end with a ] — hint: indent with spaces, each nested key deeper than its parent and siblings aligned
      bad.yaml:5:3 log.level: unknown level "nope" — hint: use one of trace, debug, info, warn, error, fatal, silent"
    `);
  });

  it('reports tabs and duplicate keys as YAML errors with positions', () => {
    const r = parseConfigText('log:\n  level: info\n  level: debug\nstore:\n\tpath: /x\n', 'dup.yaml', { probe });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const yamlIssues = r.issues.filter((i) => i.message.startsWith('YAML:'));
    expect(yamlIssues.map((i) => [i.line, i.message])).toMatchInlineSnapshot(`
      [
        [
          3,
          "YAML: map keys must be unique",
        ],
        [
          5,
          "YAML: tabs are not allowed as indentation",
        ],
      ]
    `);
  });

  it('names a missing discriminator and a non-mapping list item', () => {
    const r = parseConfigText('sources:\n  - path: /var/log/auth.log\n  - just text\n', 'c.yaml', { probe });
    expect(issuesOf(r)).toMatchInlineSnapshot(`
      "c.yaml:2:5 sources[0]: missing required key "type" — hint: add type: one of file, stdin, syslog, journald
      c.yaml:3:5 sources[1]: expected a mapping of keys, got "just text" — hint: write \`key: value\` lines indented under this key"
    `);
  });

  it('rejects a document that is not a mapping', () => {
    const r = parseConfigText('- a\n- b\n', 'list.yaml');
    expect(issuesOf(r)).toMatchInlineSnapshot(
      `"list.yaml:1:1 (file): the config must be a mapping of sections, got a list — hint: start with section keys such as \`sources:\`, \`policy:\`, \`store:\`"`,
    );
  });

  it('treats an empty file as all defaults, with a warning about sources', () => {
    const r = parseConfigText('', 'empty.yaml', { probe });
    expect(r.ok).toBe(true);
    expect(issuesOf(r)).toMatchInlineSnapshot(`""`);
  });

  it('accepts empty sections written as `policy:`', () => {
    const r = parseConfigText('sources: []\npolicy:\nlog:\n', 'e.yaml', { probe });
    expect(r.ok && r.config.policy.mode).toBe('observe');
  });

  it('validates unknown formats against the registry names it is given', () => {
    const text = 'sources:\n  - { type: stdin, format: postfx }\n';
    const r = parseConfigText(text, 'f.yaml', { probe, knownFormats: ['sshd', 'postfix'] });
    expect(issuesOf(r)).toMatchInlineSnapshot(
      `"f.yaml:2:20 sources[0].format: unknown format "postfx" — hint: use one of auto, postfix, sshd (did you mean "postfix"?)"`,
    );
    const ok = parseConfigText('sources:\n  - { type: stdin, format: postfix }\n', 'f.yaml', {
      probe,
      knownFormats: ['sshd', 'postfix'],
    });
    expect(ok.ok).toBe(true);
  });

  it('checks record keys (scenario ids) and reports them at the key', () => {
    const r = parseConfigText('scenarios:\n  overrides:\n    "bad id!": { capacity: 2 }\n', 's.yaml', { probe });
    expect(issuesOf(r)).toMatchInlineSnapshot(`
      "s.yaml:1:1 sources: warning: no sources configured: leuko will only read what the command line gives it — hint: add a sources list, e.g. sources: [{ type: file, path: /var/log/auth.log, format: sshd }]
      s.yaml:3:5 scenarios.overrides["bad id!"]: invalid key "bad id!" — hint: use a scenario id like \`leuko/ssh-bf\` (see \`leuko rules list\`)"
    `);
  });

  it('maps errors through anchors and merge keys', () => {
    const text = 'base: &b { format: sshd }\n';
    const r = parseConfigText(text, 'a.yaml', { probe });
    expect(issuesOf(r)).toContain('a.yaml:1:1 base: unknown key "base"');
    const merged = parseConfigText(
      'sources:\n  - &s { type: file, path: /var/log/auth.log, format: sshd }\n  - { <<: *s, path: /var/log/secure }\n',
      'm.yaml',
      { probe },
    );
    expect(merged.ok && merged.config.sources.map((s) => s.id)).toEqual([
      'file:/var/log/auth.log',
      'file:/var/log/secure',
    ]);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    const r = parseConfigText(lines.join('\n'), 'bomb.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.some((i) => /alias/i.test(i.message))).toBe(true);
  });

  it('accepts every section of the documented schema', () => {
    const text = `sources:
  - { type: file, path: /var/log/auth.log, format: sshd }
  - { type: file, path: /var/log/nginx/access.log, format: nginx, start_at: beginning, id: web }
  - { type: stdin, format: auto }
  - { type: syslog, listen_udp: "127.0.0.1:5514", listen_tcp: "[::1]:5514", format: auto }
  - { type: journald, units: [ssh.service] }
policy: { mode: contain, allowlist: [127.0.0.0/8, "::1", 192.0.2.0/24], budget: { max_decisions: 20, window: 10m } }
store: { path: /var/lib/leuko }
scenarios: { dirs: [], disable: [leuko/http-probing], overrides: { "leuko/ssh-bf": { capacity: 3, decision: { duration: 1h } } } }
decisions:
  default_duration: 4h
  escalation: { factor: 2, max_duration: 30d, jitter: 0.1 }
  ipv6_scope: /64
  max_evidence: 10
responders: [{ type: nftables }]
log: { level: debug, format: json }
`;
    const r = parseConfigText(text, 'full.yaml', { probe, knownScenarios: ['leuko/ssh-bf', 'leuko/http-probing'] });
    expect(issuesOf(r)).toBe('');
    if (!r.ok) return;
    expect(r.config.sources.map((s) => s.id)).toEqual([
      'file:/var/log/auth.log',
      'web',
      'stdin',
      'syslog',
      'journald:ssh.service',
    ]);
    expect(r.config.sources[3]).toMatchObject({
      listen_udp: { host: '127.0.0.1', port: 5514 },
      listen_tcp: { host: '::1', port: 5514 },
    });
    expect(r.config.scenarios.overrides['leuko/ssh-bf']).toEqual({ capacity: 3, decision: { duration: 3600 } });
    expect(r.config.policy.budget).toMatchObject({ max_decisions: 20, window: 600 });
    expect(r.config.responders).toEqual([{ type: 'nftables', id: 'nftables', table: 'leuko' }]);
  });

  it('formats issues like a compiler, key position first', () => {
    const r = parseConfigText(
      'sources:\n  - type: file\n    format: sshdd\n    path: /var/log/auth.log\n',
      'auth.yaml',
      {
        probe,
        knownFormats: ['sshd', 'nginx'],
      },
    );
    expect(issuesOf(r)).toBe(
      'auth.yaml:3:5 sources[0].format: unknown format "sshdd" — hint: use one of auto, nginx, sshd (did you mean "sshd"?)',
    );
  });
});

describe('cross-checks and warnings', () => {
  it('warns without blocking, and --strict turns warnings into errors', () => {
    const text = [
      'sources:',
      '  - { type: file, path: /srv/missing.log }',
      '  - { type: syslog, listen_udp: "0.0.0.0:5514" }',
      'policy:',
      '  mode: observe',
      '  allowlist: [10.1.2.3/8]',
      'decisions: { default_duration: 2d, escalation: { max_duration: 1d } }',
      'responders: [{ type: nftables }]',
      '',
    ].join('\n');
    const r = parseConfigText(text, 'w.yaml', { probe });
    expect(r.ok).toBe(true);
    expect(issuesOf(r)).toMatchInlineSnapshot(`
      "w.yaml:2:19 sources[0].path: warning: file /srv/missing.log does not exist now — hint: leuko will start reading when it appears; check the path for typos
      w.yaml:3:21 sources[1].listen_udp: warning: syslog listens on 0.0.0.0, reachable from other hosts — hint: anyone who can reach it can forge log lines and get addresses banned; listen on 127.0.0.1 or firewall the port
      w.yaml:5:3 policy.mode: warning: responders are configured but policy.mode is observe, so they will never act — hint: set policy.mode: contain to let them act, or remove the responders
      w.yaml:6:3 policy.allowlist: warning: allowlist does not cover loopback 127.0.0.1 — hint: add 127.0.0.0/8 so that leuko never blocks the host talking to itself
      w.yaml:6:3 policy.allowlist: warning: allowlist does not cover loopback ::1 — hint: add ::1 so that leuko never blocks the host talking to itself
      w.yaml:6:15 policy.allowlist[0]: warning: 10.1.2.3/8 has host bits set; it means 10.0.0.0/8 — hint: write 10.0.0.0/8, or the address alone if only that host was meant
      w.yaml:7:50 decisions.escalation.max_duration: warning: max_duration is shorter than default_duration, so every decision is capped to it — hint: raise max_duration or lower default_duration"
    `);
    const strict = parseConfigText(text, 'w.yaml', { probe, strict: true });
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('warns when a path pattern names no file now, saying when later files are read', () => {
    const text = 'sources:\n  - { type: file, path: "/srv/sites/*/access.log" }\n';
    expect(issuesOf(parseConfigText(text, 'g.yaml', { probe }))).toMatchInlineSnapshot(
      `"g.yaml:2:19 sources[0].path: warning: no file matches /srv/sites/*/access.log now — hint: leuko run follows matching files as they appear (see \`rescan\`); check the pattern for typos"`,
    );
  });

  it('rejects duplicate source ids', () => {
    const text = 'sources:\n  - { type: stdin }\n  - { type: stdin }\n';
    expect(issuesOf(parseConfigText(text, 'd.yaml', { probe }))).toMatchInlineSnapshot(
      `"d.yaml:3:5 sources[1]: duplicate source id "stdin" (also sources[0]) — hint: give each source its own \`id\`"`,
    );
  });

  it('resolves relative paths from the config directory and derives ids from them', () => {
    const r = parseConfigText(
      'sources: [{ type: file, path: logs/a.log }]\nstore: { path: state }\n',
      '/etc/leuko/x.yaml',
      {
        probe: { exists: () => true, journaldAvailable: false },
      },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.sources[0]).toMatchObject({ path: '/etc/leuko/logs/a.log', id: 'file:/etc/leuko/logs/a.log' });
    expect(r.config.store.path).toBe('/etc/leuko/state');
  });

  it('fills the syslog listener with loopback when none is given', () => {
    const r = parseConfigText('sources: [{ type: syslog }]\n', 's.yaml', { probe });
    expect(r.ok && r.config.sources[0]).toEqual({
      type: 'syslog',
      id: 'syslog',
      format: 'auto',
      listen_udp: { host: '127.0.0.1', port: 5514 },
    });
  });

  it('warns about unknown scenario ids when the rule set is known', () => {
    const r = parseConfigText(
      'scenarios:\n  disable: [leuko/ssh-bff]\n  overrides: { leuko/http-prob: { capacity: 3 } }\n',
      'k.yaml',
      {
        probe,
        knownScenarios: ['leuko/ssh-bf', 'leuko/http-probing'],
      },
    );
    expect(issuesOf(r)).toMatchInlineSnapshot(`
      "k.yaml:2:13 scenarios.disable[0]: warning: unknown scenario "leuko/ssh-bff" — hint: did you mean "leuko/ssh-bf"?
      k.yaml:3:16 scenarios.overrides["leuko/http-prob"]: warning: unknown scenario "leuko/http-prob" — hint: did you mean "leuko/http-probing"?"
    `);
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leuko-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and names it in issues', () => {
    const file = join(dir, 'leuko.yaml');
    writeFileSync(file, 'log: { level: verbose }\n');
    const r = loadConfigFile(file, { probe });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.find((i) => i.severity === 'error')).toMatchObject({
        file,
        line: 1,
        column: 8,
        key: 'log.level',
      });
  });

  it('returns an issue for a missing file or a directory', () => {
    const missing = loadConfigFile(join(dir, 'nope.yaml'));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues[0]?.message).toBe('config file not found');
    const isDir = loadConfigFile(dir);
    if (!isDir.ok) expect(isDir.issues[0]?.message).toBe('config path is a directory');
    expect(isDir.ok).toBe(false);
  });
});
