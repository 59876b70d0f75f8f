import { describe, expect, it } from 'vitest';
import { decision, engineWith, T0 } from './fixtures.case.js';

describe('policy engine: allowlist', () => {
  it('rejects configured ranges, loopback, host and admin addresses, whatever the mode', () => {
    for (const mode of ['observe', 'contain', 'heal'] as const) {
      const { engine } = engineWith(
        { mode, allowlist: ['10.9.0.0/16'], allowHighImpact: ['ban'] },
        {
          hostAddresses: () => ['192.0.2.10', 'fe80::1'],
          adminSessions: () => [{ user: 'alice', address: '198.51.100.7' }],
        },
      );
      const cases: [string, string][] = [
        ['10.9.3.4', 'config'],
        ['127.0.0.53', 'loopback'],
        ['::1', 'loopback'],
        ['192.0.2.10', 'host'],
        ['198.51.100.7', 'admin'],
        ['::ffff:198.51.100.7', 'admin'],
      ];
      for (const [value, by] of cases) {
        const v = engine.evaluate(decision({ value }));
        expect(v.kind).toBe('reject');
        expect(v.rule).toBe('allowlist');
        if (v.kind === 'reject') expect(v.protectedBy?.by).toBe(by);
      }
    }
  });

  it('rejects a range that contains a protected address, and names the admin', () => {
    const { engine } = engineWith({}, { adminSessions: () => [{ user: 'alice', address: '198.51.100.7' }] });
    const v = engine.evaluate(decision({ scope: 'range', value: '198.51.100.0/24', blastRadius: 'medium' }));
    expect(v.kind).toBe('reject');
    expect(v.reason).toContain('alice');
  });

  it('is not overridden by operator requests nor by allow_high_impact', () => {
    const { engine } = engineWith({ allowlist: ['10.0.0.0/8'], allowHighImpact: ['ban'] });
    expect(engine.evaluate(decision({ value: '10.1.1.1' }), { operator: 'cli:root' }).kind).toBe('reject');
    expect(engine.evaluate(decision({ scope: 'range', value: '10.0.0.0/8' })).kind).toBe('reject');
  });

  it('rejects targets that are not addresses', () => {
    const { engine } = engineWith();
    const v = engine.evaluate(decision({ value: 'not-an-ip' }));
    expect(v).toMatchObject({ kind: 'reject', rule: 'invalid' });
  });

  it('keeps an admin address protected for the grace period after logout', () => {
    let sessions = [{ user: 'root', address: '198.51.100.20' }];
    const { engine, clock } = engineWith(
      { adminGraceMs: 3_600_000, adminRefreshMs: 1000 },
      { adminSessions: () => sessions },
    );
    expect(engine.evaluate(decision({ value: '198.51.100.20' })).kind).toBe('reject');
    sessions = [];
    clock.advance(30 * 60_000);
    expect(engine.evaluate(decision({ value: '198.51.100.20' })).kind).toBe('reject');
    clock.advance(31 * 60_000);
    expect(engine.evaluate(decision({ value: '198.51.100.20' })).kind).toBe('approve');
  });

  it('keeps the last known addresses when a provider fails', () => {
    let fail = false;
    const { engine, clock } = engineWith(
      { hostRefreshMs: 1000 },
      {
        hostAddresses: () => {
          if (fail) throw new Error('boom');
          return ['192.0.2.10'];
        },
      },
    );
    expect(engine.evaluate(decision({ value: '192.0.2.10' })).kind).toBe('reject');
    fail = true;
    clock.advance(5000);
    expect(engine.evaluate(decision({ value: '192.0.2.10' })).kind).toBe('reject');
  });
});

describe('policy engine: modes and dry-run', () => {
  it('observe mode records only, saying what contain would do', () => {
    const { engine } = engineWith({ mode: 'observe' });
    expect(engine.evaluate(decision())).toMatchObject({ kind: 'observe', wouldBe: 'approve' });
    expect(engine.evaluate(decision({ action: 'isolate-host', scope: 'host', value: 'web1' }))).toMatchObject({
      kind: 'observe',
      wouldBe: 'queue',
    });
  });

  it('contain approves reversible low-impact actions and queues heal-class ones', () => {
    const { engine } = engineWith({ mode: 'contain' });
    for (const action of ['ban', 'freeze', 'notify']) {
      const scope = action === 'ban' ? 'ip' : 'process';
      const value = action === 'ban' ? '203.0.113.5' : '4242';
      expect(engine.evaluate(decision({ action, scope, value })).kind).toBe('approve');
    }
    const kill = engine.evaluate(decision({ action: 'kill', scope: 'process', value: '4242' }));
    expect(kill).toMatchObject({ kind: 'queue', rule: 'mode' });
    const restart = engine.evaluate(decision({ action: 'restart-service', scope: 'service', value: 'nginx' }));
    expect(restart.kind).toBe('queue');
  });

  it('heal also approves restore and restart', () => {
    const { engine } = engineWith({ mode: 'heal' });
    expect(engine.evaluate(decision({ action: 'restart-service', scope: 'service', value: 'nginx' })).kind).toBe(
      'approve',
    );
    expect(engine.evaluate(decision({ action: 'kill', scope: 'process', value: '7' })).kind).toBe('approve');
  });

  it('per-scenario mode overrides the global one', () => {
    const { engine } = engineWith({ mode: 'contain', scenarios: { 'leuko/new': { mode: 'observe' } } });
    expect(engine.evaluate(decision({ scenario: 'leuko/new' })).kind).toBe('observe');
    expect(engine.evaluate(decision({ scenario: 'leuko/ssh-bf' })).kind).toBe('approve');
  });

  it('global, per-scenario and per-call dry-run plan without applying', () => {
    const global = engineWith({ dryRun: true }).engine;
    expect(global.evaluate(decision())).toMatchObject({ kind: 'dry-run', wouldBe: 'approve' });
    const per = engineWith({ scenarios: { 'leuko/ssh-bf': { dryRun: true } } }).engine;
    const v = per.evaluate(decision());
    expect(v.kind).toBe('dry-run');
    expect(v.reason).toContain('policy.scenarios.leuko/ssh-bf.dry_run');
    expect(per.evaluate(decision({ scenario: 'leuko/http-probing' })).kind).toBe('approve');
    const call = engineWith().engine;
    expect(call.evaluate(decision(), { dryRun: true }).kind).toBe('dry-run');
  });

  it('a dry-run of a high-impact action is never put in the approval queue', () => {
    const { engine } = engineWith({ dryRun: true });
    expect(engine.evaluate(decision({ action: 'isolate-host', scope: 'host', value: 'web1' }))).toMatchObject({
      kind: 'dry-run',
      wouldBe: 'queue',
    });
  });

  it('dry-run decisions do not use the budget', () => {
    const { engine } = engineWith({
      scenarios: { dry: { dryRun: true } },
      budget: { maxPerMinute: 2, maxPerWindow: 100, windowMs: 3_600_000 },
    });
    for (let i = 0; i < 10; i++) engine.evaluate(decision({ scenario: 'dry', value: `203.0.113.${i}` }));
    expect(engine.status().breaker.perMinute.used).toBe(0);
    expect(engine.evaluate(decision()).kind).toBe('approve');
  });
});

describe('policy engine: blast radius', () => {
  it('queues high-impact actions unless explicitly allowed', () => {
    const { engine } = engineWith();
    for (const [action, scope] of [
      ['isolate-host', 'host'],
      ['lock-account', 'user'],
      ['stop-service', 'service'],
    ] as const) {
      const v = engine.evaluate(decision({ action, scope, value: 'x' }));
      expect(v).toMatchObject({ kind: 'queue', rule: 'high-impact', blastRadius: 'high', expiresAt: T0 + 3_600_000 });
    }
    const allowed = engineWith({ allowHighImpact: ['isolate-host'] }).engine;
    expect(allowed.evaluate(decision({ action: 'isolate-host', scope: 'host', value: 'web1' })).kind).toBe('approve');
    expect(allowed.evaluate(decision({ action: 'lock-account', scope: 'user', value: 'bob' })).kind).toBe('queue');
  });

  it('classes ranges by width: /24 and /64 medium (automatic), wider high (queued)', () => {
    const { engine } = engineWith();
    expect(engine.evaluate(decision({ scope: 'range', value: '203.0.113.0/24' }))).toMatchObject({
      kind: 'approve',
      blastRadius: 'medium',
    });
    expect(engine.evaluate(decision({ scope: 'range', value: '2001:db8:1:2::/64' }))).toMatchObject({
      kind: 'approve',
      blastRadius: 'medium',
    });
    expect(engine.evaluate(decision({ scope: 'range', value: '203.0.112.0/23' }))).toMatchObject({
      kind: 'queue',
      blastRadius: 'high',
    });
    expect(engine.evaluate(decision({ scope: 'range', value: '2001:db8::/48' })).kind).toBe('queue');
  });

  it('never lowers the class a decision claims, and treats unknown actions as high', () => {
    const { engine } = engineWith({ mode: 'heal' });
    expect(engine.evaluate(decision({ blastRadius: 'high' })).kind).toBe('queue');
    expect(engine.evaluate(decision({ action: 'reformat-disk', scope: 'host', value: 'web1' }))).toMatchObject({
      kind: 'queue',
      blastRadius: 'high',
    });
  });

  it('operator decisions skip mode and budget but are still planned only in dry-run', () => {
    const { engine } = engineWith({ mode: 'observe' });
    const d = decision({ action: 'kill', scope: 'process', value: '4242', blastRadius: 'medium' });
    expect(engine.evaluate(d, { operator: 'cli:root' })).toMatchObject({ kind: 'approve', rule: 'operator' });
    expect(engine.evaluate(d, { operator: 'cli:root', dryRun: true })).toMatchObject({
      kind: 'dry-run',
      wouldBe: 'approve',
    });
  });

  it('operator decisions of high impact still wait for approval unless allowed by name', () => {
    const { engine, clock } = engineWith({ mode: 'contain', approvalExpiryMs: 600_000 });
    const isolate = decision({ action: 'isolate-host', scope: 'host', value: 'web1', blastRadius: 'high' });
    expect(engine.evaluate(isolate, { operator: 'cli:root' })).toMatchObject({
      kind: 'queue',
      rule: 'high-impact',
      expiresAt: clock.now() + 600_000,
      reason: expect.stringContaining('requested by operator cli:root'),
    });
    expect(engine.evaluate(isolate, { operator: 'cli:root', dryRun: true })).toMatchObject({
      kind: 'dry-run',
      wouldBe: 'queue',
    });
    // A wide range is high impact by its target, whatever the action.
    const wide = decision({ scope: 'range', value: '203.0.0.0/16', blastRadius: 'medium' });
    expect(engine.evaluate(wide, { operator: 'cli:root' })).toMatchObject({ kind: 'queue', rule: 'high-impact' });
    const allowed = engineWith({ mode: 'observe', allowHighImpact: ['isolate-host'] }).engine;
    expect(allowed.evaluate(isolate, { operator: 'cli:root' })).toMatchObject({ kind: 'approve', rule: 'operator' });
  });
});

describe('policy engine: status', () => {
  it('reports mode, dry-run scenarios, breaker and budget usage', () => {
    const { engine } = engineWith({ scenarios: { a: { dryRun: true }, b: { mode: 'observe' } } });
    engine.evaluate(decision());
    const s = engine.status();
    expect(s.mode).toBe('contain');
    expect(s.dryRunScenarios).toEqual(['a']);
    expect(s.breaker.state).toBe('closed');
    expect(s.breaker.perMinute).toEqual({ used: 1, limit: 30 });
    expect(s.allowlist.configured).toBeGreaterThanOrEqual(2);
  });
});

describe('policy engine: tick', () => {
  it('sees an admin session that starts and ends between two decisions', () => {
    let sessions: { user: string; address: string }[] = [];
    const { engine, clock } = engineWith({ adminRefreshMs: 1000 }, { adminSessions: () => sessions });
    engine.evaluate(decision({ value: '203.0.113.1' }));
    clock.advance(2000);
    sessions = [{ user: 'root', address: '198.51.100.30' }];
    engine.tick();
    sessions = [];
    clock.advance(60_000);
    engine.tick();
    expect(engine.evaluate(decision({ value: '198.51.100.30' })).kind).toBe('reject');
  });
});
