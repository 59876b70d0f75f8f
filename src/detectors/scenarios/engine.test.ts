import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeukoError } from '../../core/errors.js';
import { createSequentialIds } from '../../core/ids.js';
import { createScenarioEngine } from './engine.js';
import { parseScenarioText } from './load.js';
import { obs, scenariosFrom, strip } from './test-kit.js';

const S = 1000;
const head = (name: string, kind: string) =>
  `name: t/${name}\ndescription: ${name}\nkind: ${kind}\ntechniques: [T1110]\n`;
const sshFail = { 'event.dataset': 'sshd', 'event.outcome': 'failure' };
const fail = (t: number, ip: string, user = 'root') => obs(t, { ...sshFail, 'source.ip': ip, 'user.name': user });

function engineFor(yaml: string) {
  return createScenarioEngine(scenariosFrom(yaml), { ids: createSequentialIds() });
}

const LEAKY = `${head('bf', 'leaky')}filter: { event.dataset: sshd, event.outcome: failure }
group_by: source.ip
capacity: 5
leakspeed: 10s
blackhole: 1m
decision: { duration: 4h }
labels: { service: ssh }
explain: '{count} failed ssh logins from {key} for {distinct:user.name} distinct users in {span} (capacity {capacity}, leak {leakspeed})'
`;

describe('leaky buckets', () => {
  it('fires when more than capacity events are in the bucket, with an explained detection', () => {
    const e = engineFor(LEAKY);
    const out = [0, 5, 10, 20, 30, 38].flatMap((s, i) => e.process(fail(s * S, '203.0.113.9', `u${i % 4}`)));
    expect(out).toHaveLength(0); // the bucket leaked 3.8 events in 38 s
    const e2 = engineFor(LEAKY);
    const out2 = [0, 1, 2, 3, 4, 5].flatMap((s, i) => e2.process(fail(s * S, '203.0.113.9', `u${i % 4}`)));
    expect(out2).toHaveLength(1);
    const d = out2[0]!;
    expect(d).toMatchObject({
      id: 'det_000001',
      scenario: 't/bf',
      time: 5 * S,
      entity: { type: 'ip', value: '203.0.113.9' },
      techniques: ['T1110'],
      count: 6,
      remediation: { action: 'ban', durationS: 14400, scope: 'ip' },
      labels: { service: 'ssh' },
    });
    expect(d.explanation).toBe(
      '6 failed ssh logins from 203.0.113.9 for 4 distinct users in 5 s (capacity 5, leak 10s)',
    );
    expect(d.evidence).toHaveLength(6);
    expect(d.evidence[0]).toEqual({ timestamp: '1970-01-01T00:00:00.000Z', message: 'line at 0', sourceId: 'test' });
  });
  it('bounds evidence to the first and last five lines', () => {
    const e = engineFor(LEAKY.replace('capacity: 5', 'capacity: 20'));
    const out = Array.from({ length: 21 }, (_, i) => e.process(fail(i, '192.0.2.1'))).flat();
    expect(out[0]!.count).toBe(21);
    expect(out[0]!.evidence.map((x) => x.message)).toEqual(
      [0, 1, 2, 3, 4, 16, 17, 18, 19, 20].map((i) => `line at ${i}`),
    );
  });
  it('keeps keys apart and ignores events without the group field', () => {
    const e = engineFor(LEAKY);
    const out = [1, 2, 3, 4, 5, 6].flatMap((i) => [
      ...e.process(fail(i, i % 2 ? 'a' : 'b')),
      ...e.process(obs(i, sshFail)),
    ]);
    expect(out).toHaveLength(0);
  });
  it('CrowdSec distinct: a value already in the bucket is not poured', () => {
    const e = engineFor(LEAKY.replace('group_by: source.ip', 'group_by: source.ip\ndistinct: user.name'));
    expect(Array.from({ length: 20 }, (_, i) => e.process(fail(i, 'a', 'root'))).flat()).toHaveLength(0);
    const out = Array.from({ length: 6 }, (_, i) => e.process(fail(100 + i, 'a', `user${i}`))).flat();
    expect(out).toHaveLength(1);
    expect(out[0]!.count).toBe(6); // root once, then five new names overflow capacity 5
    expect(out[0]!.time).toBe(104);
  });
  it('blackhole keeps the key quiet, then it may fire again', () => {
    const e = engineFor(LEAKY);
    const burst = (t0: number) => Array.from({ length: 6 }, (_, i) => e.process(fail(t0 + i, 'a'))).flat();
    expect(burst(0)).toHaveLength(1);
    expect(burst(10 * S)).toHaveLength(0);
    expect(e.stats().perScenario['t/bf']!.blackholed).toBe(6);
    expect(burst(61 * S)).toHaveLength(1);
  });
  it('cancel_on deletes the bucket of the same key', () => {
    const e = engineFor(`${LEAKY}cancel_on: { event.dataset: sshd, event.outcome: success }\n`);
    const out = [
      ...[0, 1, 2, 3, 4].flatMap((t) => e.process(fail(t, 'a'))),
      ...e.process(obs(5, { 'event.dataset': 'sshd', 'event.outcome': 'success', 'source.ip': 'a' })),
      ...e.process(fail(6, 'a')),
    ];
    expect(out).toHaveLength(0);
    expect(e.stats().perScenario['t/bf']!.cancels).toBe(1);
  });
});

describe('other kinds', () => {
  it('trigger fires on the first event, blackhole suppresses the rest', () => {
    const e = engineFor(
      `${head('trig', 'trigger')}filter: { event.dataset: nginx.access }\ngroup_by: source.ip\nblackhole: 2m\n`,
    );
    const hits = [0, 1, 2].flatMap((t) => e.process(obs(t * S, { 'event.dataset': 'nginx.access', 'source.ip': 'x' })));
    expect(hits.map((d) => d.time)).toEqual([0]);
    expect(e.process(obs(121 * S, { 'event.dataset': 'nginx.access', 'source.ip': 'x' }))).toHaveLength(1);
  });
  it('sequence: the followed_by event fires once the filter events armed the key, across a snapshot', () => {
    const yaml = `${head('seq', 'sequence')}filter: { event.dataset: sshd, event.outcome: failure }
followed_by: { event.dataset: sshd, event.outcome: success }
group_by: source.ip
window: 1m
threshold: 3
blackhole: 10m
explain: '{last:user.name} in from {key} after {count} failures'
`;
    const ok = (t: number, ip: string, user = 'root') =>
      obs(t, { 'event.dataset': 'sshd', 'event.outcome': 'success', 'source.ip': ip, 'user.name': user });
    const e1 = engineFor(yaml);
    // Not armed yet: a success after two failures is nothing, and keeps the failures.
    expect([fail(0, 'a'), fail(S, 'a'), ok(2 * S, 'a')].flatMap((o) => e1.process(o))).toEqual([]);
    e1.process(fail(3 * S, 'a'));
    const e2 = engineFor(yaml);
    e2.restore(e1.snapshot());
    const fired = e2.process(ok(4 * S, 'a', 'deploy'));
    expect(fired.map((d) => [d.entity.value, d.count, d.explanation])).toEqual([
      ['a', 3, 'deploy in from a after 3 failures'],
    ]);
    expect(fired[0]!.evidence).toHaveLength(4);
    // Blackholed after firing; another address's success without failures is nothing.
    expect(
      [fail(5 * S, 'a'), fail(6 * S, 'a'), fail(7 * S, 'a'), ok(8 * S, 'a')].flatMap((o) => e2.process(o)),
    ).toEqual([]);
    expect(e2.process(ok(9 * S, 'b'))).toEqual([]);
    // Failures older than the window do not arm it.
    const e3 = engineFor(yaml);
    expect([fail(0, 'c'), fail(S, 'c'), fail(2 * S, 'c'), ok(70 * S, 'c')].flatMap((o) => e3.process(o))).toEqual([]);
  });
  it('sequence scenarios take followed_by, not cancel_on', () => {
    const r = parseScenarioText(
      `${head('seq2', 'sequence')}filter: { event.outcome: failure }\nfollowed_by: { event.outcome: success }\ncancel_on: { event.outcome: success }\ngroup_by: source.ip\nwindow: 1m\nthreshold: 3\n`,
      'x.yaml',
      [],
    );
    expect(r.issues.map((i) => i.message)).toContain('a `sequence` scenario takes `followed_by`, not `cancel_on`');
  });
  it('sliding window: threshold events within the window', () => {
    const e = engineFor(
      `${head('win', 'window')}filter: { event.dataset: sshd }\ngroup_by: source.ip\nwindow: 10s\nthreshold: 3\n`,
    );
    expect([0, 6, 12, 18].flatMap((s) => e.process(fail(s * S, 'a')))).toHaveLength(0);
    expect([30, 35, 39].flatMap((s) => e.process(fail(s * S, 'a')))).toHaveLength(1);
  });
  it('fixed window: counts reset at the window end', () => {
    const e = engineFor(
      `${head('fix', 'window')}filter: { event.dataset: sshd }\ngroup_by: source.ip\nmode: fixed\nwindow: 10s\nthreshold: 3\n`,
    );
    expect([0, 8, 11].flatMap((s) => e.process(fail(s * S, 'a')))).toHaveLength(0);
    expect([12, 13].flatMap((s) => e.process(fail(s * S, 'a')))).toHaveLength(1);
  });
  it('counter reported at close, through tick', () => {
    const e = engineFor(
      `${head('cnt', 'counter')}filter: { event.dataset: sshd }\ngroup_by: source.ip\nwindow: 1m\nthreshold: 2\nreport: close\n`,
    );
    expect([0, 1, 2].flatMap((s) => e.process(fail(s * S, 'a')))).toHaveLength(0);
    expect(e.tick(59 * S)).toHaveLength(0);
    const closed = e.tick(60 * S);
    expect(closed.map((d) => [d.time, d.count])).toEqual([[60 * S, 3]]);
  });
  it('count_distinct: fires on the number of distinct values', () => {
    const e = engineFor(
      `${head('cd', 'window')}filter: { event.dataset: sshd }\ngroup_by: source.ip\nwindow: 1m\nthreshold: 3\ncount_distinct: user.name\n`,
    );
    expect([1, 2, 3, 4].flatMap((s) => e.process(fail(s * S, 'a', s % 2 ? 'x' : 'y')))).toHaveLength(0);
    expect(e.process(fail(5 * S, 'a', 'z'))).toHaveLength(1);
  });
  it('cadence: evenly spaced failures fire, bursts do not, success cancels', () => {
    const yaml = `${head('tb', 'cadence')}filter: { event.dataset: sshd, event.outcome: failure }
cancel_on: { event.dataset: sshd, event.outcome: success }
group_by: source.ip
min_events: 4
min_median_interval: 10m
idle: 2h
`;
    const e = engineFor(yaml);
    const M = 60 * S;
    expect([0, 20, 40].flatMap((m) => e.process(fail(m * M, 'a')))).toHaveLength(0);
    expect(e.process(fail(60 * M, 'a'))).toHaveLength(1);
    expect([0, 1, 2, 62].flatMap((m) => e.process(fail(m * M, 'b')))).toHaveLength(0);
    e.process(fail(0, 'c'));
    e.process(fail(20 * M, 'c'));
    e.process(obs(25 * M, { 'event.dataset': 'sshd', 'event.outcome': 'success', 'source.ip': 'c' }));
    expect([40, 60].flatMap((m) => e.process(fail(m * M, 'c')))).toHaveLength(0);
  });
  it('distributed: many sources against one target; the target is the entity', () => {
    const e = engineFor(`${head('dist', 'distributed')}filter: { event.dataset: sshd }
group_by: user.name
source: source.ip
window: 10m
threshold: 3
explain: '{sources} sources tried {key}: {values:source.ip}'
`);
    const out = ['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.3'].flatMap((ip, i) =>
      e.process(fail(i * S, ip, 'admin')),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.entity).toEqual({ type: 'user', value: 'admin' });
    expect(out[0]!.labels).toEqual({ sources: '10.0.0.1,10.0.0.2,10.0.0.3' });
    expect(out[0]!.explanation).toBe('3 sources tried admin: 10.0.0.1, 10.0.0.2, 10.0.0.3');
  });
});

describe('engine housekeeping', () => {
  it('dispatches by event.dataset: other datasets never reach the scenario', () => {
    const e = engineFor(LEAKY);
    for (let i = 0; i < 10; i++)
      e.process(obs(i, { 'event.dataset': 'nginx.access', 'event.outcome': 'failure', 'source.ip': 'a' }));
    expect(e.stats().perScenario['t/bf']!.poured).toBe(0);
    expect(e.stats().events).toBe(10);
  });
  it('collects idle buckets by event time', () => {
    const e = engineFor(LEAKY);
    e.process(fail(0, 'a'));
    e.process(fail(0, 'b'));
    expect(e.stats().buckets).toBe(2);
    e.tick(5 * S);
    expect(e.stats().buckets).toBe(2);
    e.tick(11 * S);
    expect(e.stats()).toMatchObject({ buckets: 0, collected: 2 });
  });
  it('evicts the least recently used bucket at max_buckets and counts it', () => {
    const e = engineFor(`${LEAKY}max_buckets: 2\n`);
    e.process(fail(0, 'a'));
    e.process(fail(1, 'b'));
    e.process(fail(2, 'a'));
    e.process(fail(3, 'c'));
    const st = e.stats();
    expect(st.evictions).toBe(1);
    expect(st.buckets).toBe(2);
    // `a` was touched last, so `b` went: four more events from `a` overflow its bucket.
    expect([4, 5, 6, 7].flatMap((t) => e.process(fail(t, 'a')))).toHaveLength(1);
  });
  it('snapshot and restore carry half-filled buckets and blackholes', () => {
    const e1 = engineFor(LEAKY);
    for (const t of [0, 1, 2]) e1.process(fail(t, 'a'));
    for (const t of [0, 1, 2, 3, 4, 5]) e1.process(fail(t, 'b'));
    const text = e1.snapshot();
    const e2 = engineFor(LEAKY);
    e2.restore(text);
    expect(e2.snapshot()).toBe(text);
    const a = [3, 4, 5].flatMap((t) => e2.process(fail(t, 'a')));
    expect(a.map(strip).map((d) => d.count)).toEqual([6]);
    expect(e2.process(fail(10, 'b'))).toHaveLength(0); // still blackholed
  });
  it('a key slot freed by a sweep and reused by another key carries nothing over', () => {
    // Two scenarios grouped by source.ip share one key table: `a` fires in one and stays
    // half-filled in the other; once both are gone and swept, `b` gets the recycled slot.
    const e = engineFor(`${LEAKY}---\n${LEAKY.replace('t/bf', 't/bf2').replace('capacity: 5', 'capacity: 50')}`);
    expect([0, 1, 2, 3, 4, 5].flatMap((t) => e.process(fail(t * S, 'a')))).toHaveLength(1);
    e.tick(5 * 60 * S); // blackhole over and both buckets drained: all gone, the slot is freed
    expect(e.stats().buckets).toBe(0);
    const out = [0, 1, 2, 3, 4, 5].flatMap((t) => e.process(fail(8 * 60 * S + t * S, 'b')));
    expect(out.map((d) => [d.scenario, d.entity.value, d.count])).toEqual([['t/bf', 'b', 6]]);
    const snap = JSON.parse(e.snapshot()) as { s: Record<string, { b: [string, { count: number }][] }> };
    expect(snap.s['t/bf2']!.b.map(([k, b]) => [k, b.count])).toEqual([['b', 6]]);
  });
  it('restores blackholes written in any order (snapshots before the key table)', () => {
    const e = engineFor(LEAKY);
    e.restore('{"v":1,"now":0,"s":{"t/bf":{"kind":"leaky","b":[],"h":[["z",60000],["a",30000]]}}}');
    expect(e.process(fail(20 * S, 'a'))).toHaveLength(0);
    expect(e.stats().perScenario['t/bf']!.blackholed).toBe(1);
    expect(e.snapshot()).toBe('{"v":1,"now":20000,"s":{"t/bf":{"kind":"leaky","b":[],"h":[["a",30000],["z",60000]]}}}');
  });
  it('rejects a corrupt snapshot with a LeukoError and ignores unknown scenarios', () => {
    const e = engineFor(LEAKY);
    expect(() => e.restore('{nope')).toThrow(LeukoError);
    expect(() => e.restore('{"v":99,"s":{}}')).toThrow(LeukoError);
    e.restore(
      '{"v":1,"now":5,"s":{"t/other":{"kind":"leaky","b":[["a",{}]],"h":[]},"t/bf":{"kind":"leaky","b":[["x",{"bad":1}]],"h":[["y","z"]]}}}',
    );
    expect(e.stats().buckets).toBe(0);
  });
});

describe('list entries in explanations and labels', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-engine-'));
  const sigs = path.join(dir, 'sigs.tsv');
  writeFileSync(
    sigs,
    '/tmui/login.jsp/..;/\tCVE-2020-5902 (F5 BIG-IP TMUI)\n/remote/fgt_lang?lang=/..\tCVE-2018-13379\n',
  );
  const TRIGGER = `${head('cve', 'trigger')}filter:
  event.dataset: nginx.access
  url.original|urldecode|lower|contains|in_file: ${sigs}
group_by: source.ip
labels: { service: http, exploit: '{matched:url.original}', from: '{key}' }
explain: 'request from {key} matches the exploit of {matched:url.original}: {last:url.original}'
`;
  const req = (t: number, ip: string, url: string) =>
    obs(t, { 'event.dataset': 'nginx.access', 'source.ip': ip, 'url.original': url });
  it('names the entry that matched, in the explanation and in templated labels', () => {
    const e = engineFor(TRIGGER);
    const [d] = e.process(req(0, '192.0.2.7', '/tmui/login.jsp/%2E%2E;/tmui/x.jsp'));
    expect(d!.explanation).toBe(
      'request from 192.0.2.7 matches the exploit of CVE-2020-5902 (F5 BIG-IP TMUI): /tmui/login.jsp/%2E%2E;/tmui/x.jsp',
    );
    expect(d!.labels).toEqual({ service: 'http', exploit: 'CVE-2020-5902 (F5 BIG-IP TMUI)', from: '192.0.2.7' });
    expect(e.process(req(1, '192.0.2.8', '/remote/fgt_lang?lang=/../../x'))[0]!.labels!.exploit).toBe('CVE-2018-13379');
  });
  it('refuses {matched:<field>} without a list on that field, and unknown placeholders in labels', () => {
    const { issues } = parseScenarioText(
      TRIGGER.replace("exploit: '{matched:url.original}'", "exploit: '{matched:url.path}', bad: '{nope}'"),
      '/t.yaml',
      [],
    );
    expect(issues.map((i) => `${i.key}: ${i.message}`)).toEqual([
      'labels.bad: unknown placeholder {nope}',
      'labels.exploit: {matched:url.path} needs a `url.path|…|in_file` key in the filter',
    ]);
  });
  it('reports a malformed labelled list at the filter key', () => {
    const bad = path.join(dir, 'bad.tsv');
    writeFileSync(bad, '\tCVE-0\n');
    const { issues } = parseScenarioText(TRIGGER.replace(sigs, bad), '/t.yaml', []);
    expect(issues[0]).toMatchObject({
      key: `filter.url.original|urldecode|lower|contains|in_file`,
      message: `data file ${bad}: line 1: empty pattern before the tab`,
    });
  });
});
