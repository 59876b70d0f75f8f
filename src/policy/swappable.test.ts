import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { decision, T0 } from './fixtures.case.js';
import { DEFAULT_POLICY_SETTINGS } from './settings.js';
import { createSwappablePolicyEngine } from './swappable.js';

describe('createSwappablePolicyEngine', () => {
  it('judges under the settings in force, and keeps the breaker across a swap', () => {
    const clock = createManualClock(T0);
    const engine = createSwappablePolicyEngine(
      { ...DEFAULT_POLICY_SETTINGS, mode: 'observe', budget: { ...DEFAULT_POLICY_SETTINGS.budget, maxPerMinute: 2 } },
      { clock },
    );
    expect(engine.evaluate(decision({ value: '198.51.100.1' })).kind).toBe('observe');

    engine.replace({ ...engine.settings(), mode: 'contain', allowlist: ['198.51.100.9/32'] });
    expect(engine.status().mode).toBe('contain');
    expect(engine.evaluate(decision({ value: '198.51.100.2' })).kind).toBe('approve');
    expect(engine.evaluate(decision({ value: '198.51.100.9' })).kind).toBe('reject');
    // Past the budget: the breaker opens; a later swap must not close it.
    for (let i = 10; i < 15; i++) engine.evaluate(decision({ value: `198.51.100.${i}` }));
    expect(engine.status().breaker.state).toBe('open');
    engine.replace({ ...engine.settings(), mode: 'contain' });
    expect(engine.status().breaker.state).toBe('open');
  });
});
