import { describe, expect, it } from 'vitest';
import { learningSchema } from '../../config/learning.js';
import type { Observation } from '../../core/event.js';
import { createSequentialIds } from '../../core/ids.js';
import { anomalySettings, createAnomalyDetector } from './index.js';
import { VOUCHES_PER_DAY } from './vouching.js';

const WINDOW = 600_000;

/** Ordinary clients browsing, then one client walking hundreds of ids with no assets. */
function* traffic(days: number, walker: boolean): Generator<Observation> {
  const start = Date.UTC(2026, 0, 1);
  let seed = 3;
  const r = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let w = 0; w < days * 144; w++) {
    const t0 = start + w * WINDOW;
    for (let c = 0; c < 12; c++) {
      const n = 20 + Math.floor(r() * 15);
      for (let i = 0; i < n; i++) {
        const asset = r() < 0.7;
        const path = asset ? `/static/app-${i % 5}.css` : `/blog/post-${Math.floor(r() * 40)}/`;
        yield obs(`198.51.100.${c + 1}`, t0 + i * 1000, path, 'https://shop.example/');
      }
    }
    if (walker && w > 150 * (days - 1) && w < 150 * (days - 1) + 4)
      for (let i = 0; i < 90; i++) yield obs('203.0.113.9', t0 + i * 6000, `/product/?id=${w * 100 + i}`, undefined);
  }
}

/**
 * The ordinary clients plus an editor: every hour, twenty minutes of saves (POST admin-ajax) and
 * admin pages. On the second day one busy hour has six times the pace, on the same
 * requests (`familiar`) or on URLs it never requested (each save to a new address).
 */
function* withEditor(familiar: boolean): Generator<Observation> {
  const start = Date.UTC(2026, 0, 1);
  const editor: Observation[] = [];
  for (let w = 0; w < 2 * 144; w++) {
    const t0 = start + w * WINDOW;
    const busy = w >= 144 + 84 && w < 144 + 90;
    if (w % 6 >= 2 && !busy) continue;
    const n = busy ? 150 : 25;
    for (let i = 0; i < n; i++) {
      const page = i % 5 === 0;
      const path = page
        ? '/wp-admin/edit.php'
        : busy && !familiar
          ? `/wp-admin/admin-ajax.php?save=${w}-${i}`
          : '/wp-admin/admin-ajax.php';
      editor.push(
        obs(
          '198.51.100.77',
          t0 + i * Math.floor(WINDOW / n),
          path,
          'https://shop.example/wp-admin/',
          page ? 'GET' : 'POST',
        ),
      );
    }
  }
  const others = [...traffic(2, false)];
  yield* [...others, ...editor].sort((a, b) => a.time - b.time);
}

/**
 * The ordinary clients and an editor who works twenty minutes every six hours (saves and admin
 * pages: a role rare enough in the population for the trees to score it), plus a second editor
 * first seen at 10:00 on the second day, too recently for its own baseline to vouch for it,
 * working twenty minutes every hour: on the first one's requests (`routine`), or on the same
 * pages with each save to an address nobody requested. With `newcomers` > 1, that many new
 * addresses do the second editor's work at once (a botnet copying the role).
 */
function* withSecondEditor(routine: boolean, newcomers = 1): Generator<Observation> {
  const start = Date.UTC(2026, 0, 1);
  const editors: Observation[] = [];
  const work = (ip: string, from: number, to: number, every: number, novel: boolean) => {
    for (let w = from; w < to; w++) {
      if (w % every >= 2) continue;
      const t0 = start + w * WINDOW;
      for (let i = 0; i < 25; i++) {
        const page = i % 5 === 0;
        const path = page
          ? '/wp-admin/edit.php'
          : novel
            ? `/wp-admin/admin-ajax.php?save=${w}-${i}`
            : '/wp-admin/admin-ajax.php';
        editors.push(obs(ip, t0 + i * 20_000, path, 'https://shop.example/wp-admin/', page ? 'GET' : 'POST'));
      }
    }
  };
  work('198.51.100.77', 0, 2 * 144, 36, false);
  for (let i = 0; i < newcomers; i++) work(`198.51.100.${78 + i}`, 144 + 60, 2 * 144, 6, !routine);
  yield* [...traffic(2, false), ...editors].sort((a, b) => a.time - b.time);
}

function obs(ip: string, time: number, path: string, referrer: string | undefined, method = 'GET'): Observation {
  return {
    time,
    sourceId: 't',
    event: {
      '@timestamp': new Date(time).toISOString(),
      message: `${ip} GET ${path}`,
      'event.kind': 'event',
      'source.ip': ip,
      'url.original': path,
      'url.path': path.split('?')[0] as string,
      'http.request.method': method,
      'http.response.status_code': 200,
      'http.response.body.bytes': 30_000,
      ...(referrer ? { 'http.request.referrer': referrer } : {}),
      'user_agent.original': 'Mozilla/5.0',
    },
  };
}

const settings = () => anomalySettings(learningSchema.parse({ anomaly: { warmup: 100 } }));

describe('anomaly detector', () => {
  it('flags the walker with its driving features, not the ordinary clients', () => {
    const d = createAnomalyDetector(settings(), createSequentialIds());
    const found = [...traffic(2, true)].flatMap((o) => d.process(o));
    const anomalies = found.filter((x) => x.scenario === 'leuko/anomaly-web');
    expect(anomalies.map((a) => a.entity.value)).toEqual(['203.0.113.9']);
    expect(anomalies[0]?.explanation).toMatch(/distinct_paths|top_section_share|asset_share|no_referrer_share/);
    expect(anomalies[0]?.labels?.features).toMatch(/=0\.\d{3}/);
  });

  it("does not flag a known editor's busy afternoon on its usual requests, but does on requests it never made", () => {
    const flagged = (familiar: boolean) => {
      const d = createAnomalyDetector(settings(), createSequentialIds());
      return [...withEditor(familiar)]
        .flatMap((o) => d.process(o))
        .filter((x) => x.scenario.startsWith('leuko/anomaly-'))
        .map((x) => x.entity.value);
    };
    expect(flagged(true)).not.toContain('198.51.100.77');
    expect(flagged(false)).toContain('198.51.100.77');
  });

  it("does not flag a newcomer doing an established peer's routine work, but does one making novel requests", () => {
    const run = (routine: boolean) => {
      const d = createAnomalyDetector(settings(), createSequentialIds());
      const flagged = [...withSecondEditor(routine)]
        .flatMap((o) => d.process(o))
        .filter((x) => x.scenario.startsWith('leuko/anomaly-'))
        .map((x) => x.entity.value);
      return { flagged, d };
    };
    const routine = run(true);
    expect(routine.flagged).toEqual([]);
    // The first editor vouched for the second, and says so.
    expect(routine.d.stats.vouched).toBeGreaterThan(0);
    const first = new Map(routine.d.entities('web')).get('198.51.100.77');
    expect(first?.vouched?.map(([k]) => k)).toEqual(['198.51.100.78']);
    // Same volume, same pages, but saves to addresses nobody made: no peer covers them.
    expect(run(false).flagged).toContain('198.51.100.78');
  });

  it('vouches for VOUCHES_PER_DAY newcomers per peer: a botnet copying the role is still flagged', () => {
    const d = createAnomalyDetector(settings(), createSequentialIds());
    const flagged = new Set(
      [...withSecondEditor(true, VOUCHES_PER_DAY + 2)]
        .flatMap((o) => d.process(o))
        .filter((x) => x.scenario.startsWith('leuko/anomaly-'))
        .map((x) => x.entity.value),
    );
    const vouched = new Map(d.entities('web')).get('198.51.100.77')?.vouched?.map(([k]) => k) ?? [];
    expect(vouched).toHaveLength(VOUCHES_PER_DAY);
    const rest = Array.from({ length: VOUCHES_PER_DAY + 2 }, (_, i) => `198.51.100.${78 + i}`).filter(
      (k) => !vouched.includes(k),
    );
    expect([...flagged].sort()).toEqual(rest.sort());
  });

  it('survives a restart: a restored model continues exactly as the original', () => {
    const a = createAnomalyDetector(settings(), createSequentialIds());
    const events = [...traffic(2, true)];
    // Stop at a window boundary and close the window (a tick), as a quiet daemon does: the open
    // window is the one thing a snapshot does not carry. An hour boundary, so the long scale's
    // window is closed too.
    const boundary = Date.UTC(2026, 0, 1) + 144 * WINDOW; // before the walker starts
    const before = events.filter((o) => o.time < boundary);
    const after = events.filter((o) => o.time >= boundary);
    for (const o of before) a.process(o);
    a.tick?.(boundary);
    const b = createAnomalyDetector(settings(), createSequentialIds());
    b.restore?.(a.snapshot?.() ?? '');
    expect(b.summary()).toEqual(a.summary());
    const show = (x: { scenario: string; entity: { value: string }; labels?: Readonly<Record<string, string>> }) =>
      `${x.scenario} ${x.entity.value} ${x.labels?.score}`;
    const outA = after.flatMap((o) => a.process(o)).map(show);
    const outB = after.flatMap((o) => b.process(o)).map(show);
    expect(outA.length).toBeGreaterThan(0);
    expect(outB).toEqual(outA);
    expect(b.snapshot?.()).toBe(a.snapshot?.());
  });

  it('restores a version-1 snapshot (node masses) but for its trees, which relearn one block', () => {
    const a = createAnomalyDetector(settings(), createSequentialIds());
    for (const o of traffic(1, false)) a.process(o);
    const snap = JSON.parse(a.snapshot?.() ?? '{}') as { v: number; models: { hst: unknown }[] };
    // What version 1 stored per tree: [node, mass] pairs.
    const v1 = {
      ...snap,
      v: 1,
      models: snap.models.map((m) => ({
        ...m,
        hst: { reference: [[[0, 256]]], latest: [[[0, 3]]], filled: 3, blocks: 4, typicalLog: 9.5 },
      })),
    };
    const b = createAnomalyDetector(settings(), createSequentialIds());
    b.restore?.(JSON.stringify(v1));
    const web = (d: typeof a) => d.summary().find((s) => s.profile === 'web');
    expect(web(a)?.ready).toBe(true);
    expect(web(b)).toEqual({ ...web(a), ready: false });
    expect(new Map(b.entities('web'))).toEqual(new Map(a.entities('web')));
  });

  it('restores a version-2 snapshot: no entity judged yet, so none vouches, and no request memory', () => {
    const a = createAnomalyDetector(settings(), createSequentialIds());
    for (const o of traffic(1, false)) a.process(o);
    type Snap = { v: number; models: { holders?: unknown; entities: [string, Record<string, unknown>][] }[] };
    const snap = JSON.parse(a.snapshot?.() ?? '{}') as Snap;
    expect(snap.v).toBe(3);
    expect([...a.entities('web')].some(([, e]) => (e.judged ?? 0) > 0)).toBe(true);
    // What version 2 stored: no holders, entities without `judged` and `vouched`.
    const v2: Snap = {
      ...snap,
      v: 2,
      models: snap.models.map(({ holders: _, ...m }) => ({
        ...m,
        entities: m.entities.map(([k, { judged: _j, vouched: _v, ...e }]) => [k, e]),
      })),
    };
    const b = createAnomalyDetector(settings(), createSequentialIds());
    b.restore?.(JSON.stringify(v2));
    expect(b.summary()).toEqual(a.summary());
    const web = new Map(b.entities('web'));
    expect(web.size).toBe(new Map(a.entities('web')).size);
    expect([...web.values()].every((e) => e.judged === undefined && e.baseline !== undefined)).toBe(true);
    // It goes on: the next window closes are judged afresh.
    for (const o of traffic(2, false)) if (o.time >= Date.UTC(2026, 0, 2)) b.process(o);
    expect([...b.entities('web')].some(([, e]) => (e.judged ?? 0) > 0)).toBe(true);
  });

  it('resets one entity', () => {
    const d = createAnomalyDetector(settings(), createSequentialIds());
    for (const o of traffic(1, false)) d.process(o);
    expect(new Map(d.entities('web')).has('198.51.100.3')).toBe(true);
    expect(d.resetEntity('198.51.100.3')).toBeGreaterThan(0);
    expect(new Map(d.entities('web')).has('198.51.100.3')).toBe(false);
    const again = createAnomalyDetector(settings(), createSequentialIds());
    again.restore?.(d.snapshot?.() ?? '');
    expect(new Map(again.entities('web')).has('198.51.100.3')).toBe(false);
  });
});
