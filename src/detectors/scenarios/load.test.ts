import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinScenarioDir, loadScenarioFile, loadScenarios, parseScenarioText } from './index.js';

const GOOD = `name: t/ssh
description: test
kind: leaky
filter: { event.dataset: sshd }
group_by: source.ip
capacity: 2
leakspeed: 10s
techniques: [T1110]
`;

describe('scenario loading', () => {
  it('loads several documents from one file', () => {
    const { scenarios, issues } = parseScenarioText(`${GOOD}---\n${GOOD.replace('t/ssh', 't/ssh2')}---\n`, '/x/a.yaml');
    expect(issues).toEqual([]);
    expect(scenarios.map((s) => s.name)).toEqual(['t/ssh', 't/ssh2']);
    expect(scenarios[0]!.params).toEqual({ kind: 'leaky', capacity: 2, leakMs: 10_000 });
    expect(scenarios[0]!.entity).toEqual({ type: 'ip', field: 'source.ip' });
    expect(scenarios[1]!.source.line).toBe(10);
  });
  it('reports unknown keys with file, line, key and a did-you-mean hint', () => {
    const { issues } = parseScenarioText(GOOD.replace('leakspeed: 10s', 'leakspeed: 10s\nblackhol: 1m'), '/x/a.yaml');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: '/x/a.yaml', line: 8, key: 'blackhol', message: 'unknown key `blackhol`' });
    expect(issues[0]!.hint).toMatch(/^did you mean `blackhole`\?/);
  });
  it('collects every issue instead of stopping at the first', () => {
    const text = GOOD.replace('kind: leaky', 'kind: leaky\nfoo: 1')
      .replace('capacity: 2', 'capacity: -1')
      .replace('leakspeed: 10s', 'leakspeed: soon');
    const { issues } = parseScenarioText(text, '/x/a.yaml');
    expect(issues.map((i) => `${i.line} ${i.key}`)).toEqual(['7 capacity', '8 leakspeed', '4 foo']);
  });
  it('reports a bad kind, filter and explain placeholder with their lines', () => {
    expect(parseScenarioText(GOOD.replace('kind: leaky', 'kind: leaking'), 'f').issues[0]).toMatchObject({
      line: 3,
      key: 'kind',
    });
    const bad = parseScenarioText(
      GOOD.replace('{ event.dataset: sshd }', '\n  event.dataset|nope: sshd') + 'explain: "{bogus}"\n',
      'f',
    );
    expect(bad.issues.map((i) => `${i.line} ${i.key} ${i.message}`)).toEqual([
      '5 filter.event.dataset|nope unknown modifier |nope',
      '10 explain unknown placeholder {bogus}',
    ]);
  });
  it('reports YAML syntax errors and a missing entity', () => {
    expect(parseScenarioText('name: [', 'f').issues[0]?.hint).toBe('fix the YAML syntax');
    const noEntity = parseScenarioText(GOOD.replace('group_by: source.ip', 'group_by: url.path'), 'f');
    expect(noEntity.issues[0]).toMatchObject({ key: 'entity' });
  });
  it('loadScenarioFile throws RULE_INVALID listing the issues', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-load-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, GOOD.replace('capacity: 2', 'capacity: x'));
    expect(() => loadScenarioFile(file)).toThrow(/RULE_INVALID|invalid scenario file/);
  });
  it('loadScenarios flags duplicate names and missing folders', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-load-'));
    writeFileSync(path.join(dir, 'a.yaml'), GOOD);
    writeFileSync(path.join(dir, 'b.yml'), GOOD);
    const { scenarios, issues } = loadScenarios([dir, path.join(dir, 'missing')]);
    expect(scenarios).toHaveLength(1);
    expect(issues.map((i) => i.message)).toEqual(['duplicate scenario name t/ssh', 'scenario directory not found']);
  });
  it('ships built-in scenarios that all load cleanly, each with techniques', () => {
    const { scenarios, issues } = loadScenarios([builtinScenarioDir()]);
    expect(issues).toEqual([]);
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
    for (const s of scenarios) expect(s.techniques.length).toBeGreaterThan(0);
  });
});
