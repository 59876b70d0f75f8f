import { describe, expect, it } from 'vitest';
import { learningSchema } from '../../src/config/learning.js';
import type { Detection } from '../../src/core/detection.js';
import type { EcsEvent } from '../../src/core/event.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { anomalySettings, createAnomalyDetector, DRIFT_SCENARIO } from '../../src/detectors/anomaly/index.js';

/**
 * Acceptance 3 of issue 6, the slow-ramp poisoning test. Over 12 simulated days (event time),
 * 20 ordinary web clients keep a steady, noisy request rate; one patient attacker starts like
 * them and then ramps its request rate by 60 % a day (log 0.47/day, against a configured drift
 * budget of 0.2/day). Checked: (1) the attacker's baseline never moves more than the budget in
 * any day, (2) a baseline-drift detection is raised for the attacker, (3) none for the others.
 */
const DAY = 86_400_000;
const WINDOW = 600_000;
const PER_DAY = 0.2;

function event(ip: string, t: number, i: number): EcsEvent {
  return {
    '@timestamp': new Date(t).toISOString(),
    message: `${ip} GET /page/${i % 50}`,
    'event.kind': 'event',
    'event.dataset': 'nginx.access',
    'source.ip': ip,
    'url.original': `/page/${i % 50}`,
    'url.path': `/page/${i % 50}`,
    'http.request.method': 'GET',
    'http.response.status_code': 200,
    'http.response.body.bytes': 20_000,
    'user_agent.original': 'Mozilla/5.0',
  };
}

describe('slow-ramp poisoning (acceptance 3)', () => {
  it('keeps the drift per day within the budget and raises a drift detection', { timeout: 120_000 }, () => {
    const learning = learningSchema.parse({ drift: { per_day: PER_DAY }, anomaly: { min_events: 5 } });
    const detector = createAnomalyDetector(anomalySettings(learning), createSequentialIds());
    const start = Date.UTC(2026, 0, 5);
    const days = 12;
    const found: Detection[] = [];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const attacker = '203.0.113.66';
    const daily: number[] = [];
    let anchor: number | undefined;
    // Four one-hour sessions a day per client (6 windows each): 24 windows a day.
    for (let day = 0; day < days; day++) {
      for (let session = 0; session < 4; session++) {
        for (let w = 0; w < 6; w++) {
          const t0 = start + day * DAY + session * 6 * 3600_000 + w * WINDOW;
          for (let c = 0; c < 21; c++) {
            const ip = c === 20 ? attacker : `198.51.100.${c + 1}`;
            const ramp = c === 20 && day >= 3 ? 1.6 ** (day - 3 + (session * 6 + w) / 24) : 1;
            const n = Math.max(5, Math.round(20 * ramp * (0.8 + 0.4 * random())));
            for (let i = 0; i < n; i++)
              found.push(
                ...detector.process({ time: t0 + (i * WINDOW) / (n + 1), event: event(ip, t0, i), sourceId: 't' }),
              );
          }
        }
      }
      found.push(...(detector.tick?.(start + (day + 1) * DAY - 1) ?? []));
      const b = new Map(detector.entities('web')).get(attacker)?.baseline;
      const requests = b?.features[0]?.b ?? 0;
      if (anchor !== undefined) daily.push(requests - anchor);
      anchor = requests;
    }
    const maxDaily = Math.max(...daily.map(Math.abs));
    const drift = found.filter((d) => d.scenario === DRIFT_SCENARIO);
    const attackerShadow = new Map(detector.entities('web')).get(attacker)?.baseline?.features[0]?.shadow ?? 0;
    process.stdout.write(
      `attacker requests baseline moved per day (log units, budget ${PER_DAY}): ${daily.map((d) => d.toFixed(3)).join(' ')}\n` +
        `max ${maxDaily.toFixed(3)}; unbudgeted baseline would be at ${Math.expm1(attackerShadow).toFixed(0)} requests/window, held at ${Math.expm1(new Map(detector.entities('web')).get(attacker)?.baseline?.features[0]?.b ?? 0).toFixed(0)}\n` +
        `drift detections: ${drift.map((d) => `${d.entity.value} ${new Date(d.time).toISOString().slice(0, 10)}`).join(', ')}\n` +
        `first: ${drift[0]?.explanation}\n`,
    );
    expect(maxDaily).toBeLessThanOrEqual(PER_DAY + 1e-9);
    expect(drift.some((d) => d.entity.value === attacker)).toBe(true);
    expect(drift.filter((d) => d.entity.value !== attacker)).toEqual([]);
  });
});
