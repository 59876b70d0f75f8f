import { describe, expect, it } from 'vitest';
import type { Detection } from '../../core/detection.js';
import type { Observation } from '../../core/event.js';
import { createSequentialIds } from '../../core/ids.js';
import { createNoveltyDetector, NOVEL_TEMPLATE, type NoveltyOptions, TEMPLATE_RATE } from './detector.js';

const MIN = 60_000;
const OPTS: NoveltyOptions = {
  learningMs: 60 * MIN,
  windowMs: 5 * MIN,
  examples: 3,
  bandK: 4,
  minExcess: 10,
  minHistory: 6,
  detectDrops: true,
};

function obs(time: number, id: string, text = `template ${id}`, message = `line of ${id}`): Observation {
  return {
    time,
    sourceId: 'app',
    event: {
      '@timestamp': new Date(time).toISOString(),
      message,
      'event.kind': 'event',
      'process.name': 'api',
      'leuko.template.id': id,
      'leuko.template.text': text,
    },
  };
}

/** `perWindow` lines of each template in every 5-minute window from `from` to `to` (minutes). */
function steady(
  d: ReturnType<typeof createNoveltyDetector>,
  from: number,
  to: number,
  perWindow: Record<string, number>,
): Detection[] {
  const out: Detection[] = [];
  for (let w = from; w < to; w += 5) {
    for (const [id, n] of Object.entries(perWindow)) {
      for (let i = 0; i < n; i++) out.push(...d.process(obs((w * MIN + (i * 5 * MIN) / n) | 0, id)));
    }
  }
  return out;
}

describe('novelty detector', () => {
  it('learns silently, then reports a never-seen template once with its examples and expected rate', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    expect(steady(d, 0, 120, { E1: 20, E2: 3 })).toEqual([]);
    const found: Detection[] = steady(d, 120, 125, { E1: 20, E2: 3 });
    for (let i = 0; i < 5; i++)
      found.push(...d.process(obs(121 * MIN + i * 1000, 'E9', 'ERROR redis <*>', `ERROR redis ${i}`)));
    found.push(...steady(d, 125, 160, { E1: 20, E2: 3, E9: 1 }));
    expect(found).toHaveLength(1);
    const [n] = found;
    expect(n?.scenario).toBe(NOVEL_TEMPLATE);
    expect(n?.entity).toEqual({ type: 'service', value: 'api' });
    expect(n?.evidence.map((e) => e.message)).toEqual(['ERROR redis 0', 'ERROR redis 1', 'ERROR redis 2']);
    expect(n?.explanation).toMatch(/new log template E9 from api .*"ERROR redis <\*>"; expected rate 0 per 300 s/);
    expect(n?.remediation).toBeUndefined();
  });

  it('reports a new template with fewer examples when its window closes', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    steady(d, 0, 90, { E1: 10 });
    expect(d.process(obs(91 * MIN, 'E5'))).toEqual([]);
    const out = d.tick(96 * MIN);
    expect(out.map((x) => x.scenario)).toEqual([NOVEL_TEMPLATE]);
    expect(out[0]?.count).toBe(1);
  });

  it('reports a rate leaving its band once (rise), and not while it stays out', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    expect(steady(d, 0, 120, { E1: 20, E2: 2 })).toEqual([]);
    const spike = steady(d, 120, 135, { E1: 20, E2: 60 });
    const after = d.tick(136 * MIN);
    const rates = [...spike, ...after].filter((x) => x.scenario === TEMPLATE_RATE);
    expect(rates).toHaveLength(1);
    expect(rates[0]?.explanation).toMatch(
      /E2 .* rose to 60 of 80 lines in 300 s; expected 7\.3 .*9\.1 % of the source, usually 2\.0 per window/,
    );
    expect(steady(d, 135, 200, { E1: 20, E2: 2 })).toEqual([]);
  });

  it('reports a busy template falling silent while its source keeps logging, not a silent source', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    steady(d, 0, 120, { E1: 200, E2: 40 });
    const drop = [...steady(d, 120, 130, { E1: 200 }), ...d.tick(131 * MIN)];
    expect(drop.filter((x) => x.scenario === TEMPLATE_RATE).map((x) => x.explanation)).toEqual([
      expect.stringMatching(/E2 .* fell to 0 of 200 lines/),
    ]);
    const quiet = createNoveltyDetector(OPTS, createSequentialIds());
    steady(quiet, 0, 120, { E1: 20, E2: 40 });
    expect(quiet.tick(200 * MIN)).toEqual([]);
  });

  it('a volume ramp that lifts every template alike is not an anomaly; a surge of one is', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    steady(d, 0, 180, { E1: 30, E2: 6 });
    expect(steady(d, 180, 240, { E1: 150, E2: 30 })).toEqual([]);
    const single = createNoveltyDetector(OPTS, createSequentialIds());
    steady(single, 0, 180, { E1: 10 });
    const surge = [...steady(single, 180, 190, { E1: 400 }), ...single.tick(191 * MIN)];
    expect(surge.map((x) => x.scenario)).toEqual([TEMPLATE_RATE]);
  });

  it('a silent night is no data: ordinary traffic resuming after it is not a surge', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    steady(d, 0, 180, { E1: 30, E2: 5 });
    expect(d.tick(900 * MIN)).toEqual([]);
    expect([...steady(d, 900, 1000, { E1: 30, E2: 5 }), ...d.tick(1001 * MIN)]).toEqual([]);
  });

  it('continues from a snapshot exactly as if never stopped', () => {
    const a = createNoveltyDetector(OPTS, createSequentialIds());
    steady(a, 0, 100, { E1: 10 });
    const b = createNoveltyDetector(OPTS, createSequentialIds());
    b.restore(a.snapshot());
    const feed = (d: typeof a) =>
      [...steady(d, 100, 130, { E1: 10, E3: 4 }), ...d.tick(140 * MIN)].map((x) => x.explanation);
    expect(feed(b)).toEqual(feed(a));
    expect(feed(b).length).toBeGreaterThanOrEqual(0);
  });

  it('leaves out the datasets it is told to ignore', () => {
    const d = createNoveltyDetector({ ...OPTS, ignoreDatasets: new Set(['nginx.access']) }, createSequentialIds());
    steady(d, 0, 100, { E1: 10 });
    const o = obs(101 * MIN, 'E9');
    const access = { ...o, event: { ...o.event, 'event.dataset': 'nginx.access' } };
    for (let i = 0; i < 5; i++) expect(d.process(access)).toEqual([]);
    expect(d.tick(110 * MIN)).toEqual([]);
  });

  it('reset forgets a source: it learns again before reporting', () => {
    const d = createNoveltyDetector(OPTS, createSequentialIds());
    steady(d, 0, 100, { E1: 10 });
    d.reset('app');
    expect(steady(d, 100, 150, { E1: 10, E7: 1 })).toEqual([]);
  });
});
