import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CorrelationRuntime, type MatchedRule } from './correlate.js';
import { type CorrelationDef, parseCorrelation } from './correlation-def.js';
import { EventView } from './event-view.js';
import { eventTime, toFlatRecord } from './event-input.js';

function def(yaml: string): CorrelationDef {
  const r = parseCorrelation(parse(yaml) as Record<string, unknown>, 'c.yml');
  if (!r.ok) throw new Error(r.unsupported.reason);
  return r.def;
}

const keys = (f: string) => [f];
const hit = (...refs: string[]): MatchedRule[] => refs.map((r) => ({ refs: [r], fieldKeys: keys }));

describe('correlation rules', () => {
  it('value_count counts distinct values per group inside the timespan', () => {
    const rt = new CorrelationRuntime([
      def(
        `title: spray\nid: c1\ncorrelation: { type: value_count, rules: [fail], group-by: [ip], timespan: 10s, condition: { gte: 3, field: user } }`,
      ),
    ]);
    const ev = (ip: string, user: string) => new EventView({ ip, user });
    expect(rt.feed(hit('fail'), ev('a', 'u1'), 0)).toHaveLength(0);
    expect(rt.feed(hit('fail'), ev('a', 'u1'), 1000)).toHaveLength(0);
    expect(rt.feed(hit('fail'), ev('b', 'u2'), 2000)).toHaveLength(0);
    expect(rt.feed(hit('fail'), ev('a', 'u2'), 3000)).toHaveLength(0);
    const f = rt.feed(hit('fail'), ev('a', 'u3'), 4000);
    expect(f).toHaveLength(1);
    expect(f[0]!.group).toEqual({ ip: 'a' });
    expect(f[0]!.count).toBe(3);
    // Out of the timespan: old values no longer count.
    expect(rt.feed(hit('fail'), ev('b', 'u3'), 30_000)).toHaveLength(0);
  });

  it('temporal needs every rule in the timespan; temporal_ordered also their order', () => {
    const t = new CorrelationRuntime([
      def('title: t\nid: t1\ncorrelation: { type: temporal, rules: [a, b], group-by: [h], timespan: 1m }'),
    ]);
    const v = new EventView({ h: 'x' });
    expect(t.feed(hit('b'), v, 0)).toHaveLength(0);
    expect(t.feed(hit('a'), v, 1000)).toHaveLength(1);
    const o = new CorrelationRuntime([
      def('title: o\nid: o1\ncorrelation: { type: temporal_ordered, rules: [a, b], group-by: [h], timespan: 1m }'),
    ]);
    expect(o.feed(hit('b'), v, 0)).toHaveLength(0);
    expect(o.feed(hit('a'), v, 1000)).toHaveLength(0);
    expect(o.feed(hit('b'), v, 2000)).toHaveLength(1);
    expect(o.feed(hit('a'), v, 3000)).toHaveLength(0);
    expect(o.feed(hit('b'), v, 120_000)).toHaveLength(0);
  });

  it('event_count state survives snapshot and restore', () => {
    const d = def(
      'title: e\nid: e1\ncorrelation: { type: event_count, rules: [r], group-by: [ip], timespan: 1m, condition: { gte: 3 } }',
    );
    const a = new CorrelationRuntime([d]);
    const v = new EventView({ ip: '1.2.3.4' });
    a.feed(hit('r'), v, 0);
    a.feed(hit('r'), v, 1000);
    const b = new CorrelationRuntime([d]);
    b.restore(a.snapshot());
    expect(b.feed(hit('r'), v, 2000)).toHaveLength(1);
  });

  it('rejects unsupported types and missing conditions with the reason', () => {
    const bad = (y: string) => {
      const r = parseCorrelation(parse(y) as Record<string, unknown>, 'c.yml');
      return r.ok ? '' : r.unsupported.reason;
    };
    expect(bad('title: x\ncorrelation: { type: value_sum, rules: [a], timespan: 1m }')).toMatch(/correlation.type/);
    expect(bad('title: x\ncorrelation: { type: event_count, rules: [a], timespan: 1m }')).toMatch(
      /condition is required/,
    );
    expect(
      bad('title: x\ncorrelation: { type: event_count, rules: [a], timespan: soon, condition: {gte: 1} }'),
    ).toMatch(/timespan/);
  });
});

describe('event input', () => {
  it('flattens nested ECS and keeps dotted keys', () => {
    const r = toFlatRecord({ process: { command_line: 'x' }, 'source.ip': '1.2.3.4' });
    expect(r['process.command_line']).toBe('x');
    expect(r['source.ip']).toBe('1.2.3.4');
  });
  it('flattens Windows events to Sigma field names, both EventData forms', () => {
    const r = toFlatRecord({
      Event: {
        System: { EventID: 1, Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, Channel: 'X' },
        EventData: { Image: 'C:\\a.exe' },
      },
    });
    expect(r).toMatchObject({
      EventID: 1,
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Channel: 'X',
      Image: 'C:\\a.exe',
    });
    const d = toFlatRecord({
      Event: {
        System: { EventID: 4688 },
        EventData: { Data: [{ '#attributes': { Name: 'NewProcessName' }, '#text': 'C:\\b.exe' }] },
      },
    });
    expect(d.NewProcessName).toBe('C:\\b.exe');
  });
  it('reads event time from the usual fields', () => {
    expect(eventTime({ '@timestamp': '2024-06-14T10:00:00Z' }, 0)).toBe(Date.parse('2024-06-14T10:00:00Z'));
    expect(eventTime({ UtcTime: '2024-06-14 10:00:00.000' }, 0)).toBe(Date.parse('2024-06-14T10:00:00Z'));
    expect(eventTime({}, 7)).toBe(7);
  });
});
