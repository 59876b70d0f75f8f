import { describe, expect, it } from 'vitest';
import { policyConfigSchema } from './config-schema.js';
import { DEFAULT_POLICY_SETTINGS, policySettings } from './settings.js';

describe('policy config schema', () => {
  it('defaults are the safe ones', () => {
    const p = policyConfigSchema.parse(undefined);
    expect(p.mode).toBe('observe');
    expect(p.allowlist).toEqual(['127.0.0.0/8', '::1/128']);
    expect(p.allow_high_impact).toEqual([]);
    expect(policySettings(p)).toEqual(DEFAULT_POLICY_SETTINGS);
  });

  it('reads the issue example and every new key', () => {
    const p = policyConfigSchema.parse({
      mode: 'contain',
      allowlist: ['127.0.0.0/8', '::1', '10.0.0.0/8'],
      dry_run: false,
      scenarios: { 'leuko/ssh-bf': { dry_run: true }, 'leuko/new': { mode: 'observe' } },
      allow_high_impact: ['isolate-host'],
      budget: { max_bans_per_minute: 50, max_decisions: 500, window: '30m' },
      breaker: { factor: 8, min_rate: 15, cooldown: '5m', half_life: '2h' },
      approvals: { expire_after: '30m' },
      admin_users: ['root', 'alice'],
      admin_grace: '1h',
      health_checks: [
        { type: 'http', url: 'http://127.0.0.1/health', expect: 204, interval: '10s' },
        { type: 'tcp', host: '127.0.0.1', port: 22, name: 'sshd' },
      ],
    });
    const s = policySettings(p);
    expect(s).toMatchObject({
      mode: 'contain',
      scenarios: { 'leuko/ssh-bf': { dryRun: true }, 'leuko/new': { mode: 'observe' } },
      allowHighImpact: ['isolate-host'],
      budget: { maxPerMinute: 50, maxPerWindow: 500, windowMs: 1_800_000 },
      breaker: { factor: 8, minRate: 15, cooldownMs: 300_000, halfLifeMs: 7_200_000 },
      approvalExpiryMs: 1_800_000,
      adminUsers: ['root', 'alice'],
      adminGraceMs: 3_600_000,
    });
    expect(s.healthChecks).toEqual([
      {
        type: 'http',
        name: 'http://127.0.0.1/health',
        url: 'http://127.0.0.1/health',
        expect: 204,
        intervalMs: 10_000,
        timeoutMs: 5000,
      },
      { type: 'tcp', name: 'sshd', host: '127.0.0.1', port: 22, intervalMs: 30_000, timeoutMs: 5000 },
    ]);
  });

  it('still accepts the foundation keys', () => {
    const p = policyConfigSchema.parse({ mode: 'contain', budget: { max_decisions: 100, window: '1h' } });
    expect(p.budget).toEqual({ max_bans_per_minute: 30, max_decisions: 100, window: 3600 });
  });

  it('rejects bad values with their path', () => {
    for (const [bad, path] of [
      [{ mode: 'yolo' }, 'mode'],
      [{ allowlist: ['10/8'] }, 'allowlist'],
      [{ budget: { max_bans_per_minute: 0 } }, 'budget'],
      [{ scenarios: { x: { dry_run: 'yes' } } }, 'scenarios'],
      [{ health_checks: [{ type: 'http', url: 'ftp://x' }] }, 'health_checks'],
      [{ health_checks: [{ type: 'tcp', host: 'h', port: 70000 }] }, 'health_checks'],
      [{ admin_users: ['bad user'] }, 'admin_users'],
      [{ unknown_key: 1 }, ''],
    ] as const) {
      const r = policyConfigSchema.safeParse(bad);
      expect(r.success).toBe(false);
      if (!r.success && path) expect(r.error.issues[0]?.path[0]).toBe(path);
    }
  });
});
