import { describe, expect, it } from 'vitest';
import { deepFreeze, resolveConfig } from '../config/resolve.js';
import { configSchema } from '../config/schema.js';
import { checkConfigPush } from './config-push.js';

const base = deepFreeze(
  resolveConfig(configSchema().parse({ policy: { mode: 'observe', allowlist: ['192.0.2.0/24'] } }), '/tmp'),
).policy;

describe('checkConfigPush', () => {
  it('merges mode, budget and allowlist additions into the agent policy, keeping its own allowlist', () => {
    const r = checkConfigPush(base, {
      policy: { mode: 'contain', allowlist: ['10.9.0.0/16'], budget: { max_bans_per_minute: 5 } },
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.policy.mode).toBe('contain');
    expect(r.policy.allowlist).toEqual(['192.0.2.0/24', '10.9.0.0/16']);
    expect(r.settings.budget).toMatchObject({ maxPerMinute: 5, maxPerWindow: base.budget.max_decisions });
  });

  it('refuses keys that cannot be pushed, other sections and invalid values, naming the key', () => {
    expect(checkConfigPush(base, { policy: { health_checks: [] } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^policy\.health_checks cannot be pushed/),
    });
    expect(checkConfigPush(base, { sources: [], policy: {} })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^sources: only the `policy:` section/),
    });
    expect(checkConfigPush(base, { policy: { mode: 'nuke' } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^policy\.mode: /),
    });
    expect(checkConfigPush(base, { policy: { allowlist: ['not-an-address'] } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^policy\.allowlist\.\d+: /),
    });
    expect(checkConfigPush(base, 'mode: contain')).toMatchObject({ ok: false });
  });
});
