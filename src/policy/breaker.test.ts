import { describe, expect, it } from 'vitest';
import { type BreakerSettings, createBreaker } from './breaker.js';
import { decision, engineWith, spoofed, T0 } from './fixtures.case.js';

const S: BreakerSettings = {
  maxPerMinute: 30,
  maxPerWindow: 1000,
  windowMs: 3_600_000,
  factor: 10,
  minRate: 20,
  cooldownMs: 600_000,
  halfLifeMs: 3_600_000,
};

describe('breaker', () => {
  it('trips on the budget: the 31st action inside 60 s is refused', () => {
    const b = createBreaker({ ...S, minRate: 1000 });
    for (let i = 0; i < 30; i++) expect(b.admit(T0 + i * 100).ok).toBe(true);
    const r = b.admit(T0 + 3000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.trip).toMatchObject({ trigger: 'budget', maxPerMinute: 30, ratePerMinute: 31 });
    expect(b.status(T0 + 3000).state).toBe('open');
  });

  it('trips on a rate far above the learned normal, before the budget', () => {
    const b = createBreaker({ ...S, maxPerMinute: 1000 });
    let t = T0;
    // Learn a normal of ~2 per minute for three hours.
    for (let m = 0; m < 180; m++) {
      b.admit(t);
      b.admit(t + 30_000);
      t += 60_000;
    }
    const normal = b.status(t).normalPerMinute;
    expect(normal).toBeGreaterThan(1.5);
    expect(normal).toBeLessThan(2.1);
    let trip: unknown;
    for (let i = 0; i < 100 && !trip; i++) {
      const r = b.admit(t + i * 100);
      if (!r.ok) trip = r.trip;
    }
    expect(trip).toMatchObject({ trigger: 'rate' });
    // Threshold was max(20, 10 x ~2): the breaker opened near 21 actions, well below the budget.
    expect((trip as { ratePerMinute: number }).ratePerMinute).toBeLessThanOrEqual(21);
  });

  it('trips on the window budget', () => {
    const b = createBreaker({ ...S, maxPerWindow: 50, minRate: 1000 });
    let r = b.admit(T0);
    for (let i = 1; i <= 50 && r.ok; i++) r = b.admit(T0 + i * 10_000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.trip?.trigger).toBe('window-budget');
  });

  it('stays open while the excess continues and closes after a calm cool-down', () => {
    const b = createBreaker(S);
    let t = T0;
    for (let i = 0; i < 40; i++) b.admit((t += 100));
    expect(b.status(t).state).toBe('open');
    // The flood goes on for 20 minutes at 60/min: still open, no second trip.
    const trips: unknown[] = [];
    for (let i = 0; i < 1200; i++) {
      const r = b.admit((t += 1000));
      if (!r.ok && r.trip) trips.push(r.trip);
    }
    expect(trips).toHaveLength(0);
    expect(b.poll(t)).toBeUndefined();
    // Calm: only the cool-down closes it, counted from the last excess.
    expect(b.poll(t + 599_000)).toBeUndefined();
    const reset = b.poll(t + 600_000);
    expect(reset).toMatchObject({ kind: 'breaker.reset', by: 'cooldown' });
    expect(reset?.held).toBeGreaterThan(1000);
    expect(b.status(t + 600_000).state).toBe('closed');
    expect(b.admit(t + 600_001).ok).toBe(true);
  });

  it('an operator can reset it; resetting a closed breaker is a no-op', () => {
    const b = createBreaker({ ...S, maxPerMinute: 1 });
    b.admit(T0);
    expect(b.admit(T0 + 1).ok).toBe(false);
    expect(b.reset(T0 + 2, 'cli:root')).toMatchObject({ by: 'cli:root' });
    expect(b.reset(T0 + 3, 'cli:root')).toBeUndefined();
  });

  it('does not learn the flood as normal', () => {
    const b = createBreaker({ ...S, cooldownMs: 60_000 });
    let t = T0;
    for (let i = 0; i < 10_000; i++) b.admit((t += 6)); // 10k in one minute
    for (let m = 0; m < 5; m++) b.poll((t += 60_000));
    expect(b.status(t).normalPerMinute).toBeLessThan(1);
  });

  it('survives a restart through its snapshot', () => {
    const a = createBreaker({ ...S, maxPerMinute: 2 });
    a.admit(T0);
    a.admit(T0 + 1);
    a.admit(T0 + 2);
    const b = createBreaker({ ...S, maxPerMinute: 2 }, JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.status(T0 + 3)).toMatchObject({ state: 'open', trigger: 'budget' });
    expect(b.status(T0 + 3).perMinute.used).toBe(2);
  });

  it('is not fooled by a clock stepping back', () => {
    const b = createBreaker({ ...S, maxPerMinute: 3, minRate: 1000 });
    b.admit(T0 + 120_000);
    b.admit(T0 + 120_001);
    b.admit(T0 + 120_002);
    expect(b.admit(T0).ok).toBe(false);
  });
});

describe('breaker scenario from the issue: 10,000 spoofed sources in one minute', () => {
  it('approves at most the budget, opens the breaker and reports exactly one trip', () => {
    const { engine, clock, events } = engineWith(
      { mode: 'contain', allowlist: ['10.0.0.0/8'] },
      { adminSessions: () => [{ user: 'root', address: '198.51.100.7' }] },
    );
    const verdicts = { approve: 0, queue: 0, reject: 0 };
    for (let i = 0; i < 10_000; i++) {
      clock.set(T0 + Math.floor((i * 60_000) / 10_000));
      // The attacker also forges lines with the admin's and allowlisted addresses.
      const value = i % 1000 === 0 ? '198.51.100.7' : i % 1000 === 1 ? '10.1.2.3' : spoofed(i);
      const v = engine.evaluate(decision({ value }));
      verdicts[v.kind as keyof typeof verdicts]++;
      if ((value === '198.51.100.7' || value === '10.1.2.3') && v.kind !== 'reject')
        throw new Error('allowlist broken');
    }
    expect(verdicts.approve).toBeLessThanOrEqual(30);
    expect(verdicts.approve).toBeGreaterThan(0);
    expect(verdicts.reject).toBe(20);
    expect(verdicts.queue).toBe(10_000 - 20 - verdicts.approve);
    expect(events.filter((e) => e.kind === 'breaker.tripped')).toHaveLength(1);
    const s = engine.status();
    expect(s.breaker.state).toBe('open');
    expect(s.breaker.reason).toMatch(/rate|budget/);
    expect(s.breaker.held).toBe(verdicts.queue);
  });
});
