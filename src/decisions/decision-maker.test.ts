import { describe, expect, it } from 'vitest';
import type { AuditInput } from '../core/audit.js';
import { createManualClock } from '../core/clock.js';
import type { Detection } from '../core/detection.js';
import { createSequentialIds } from '../core/ids.js';
import { createAllowlist } from '../policy/allowlist.js';
import { openSqliteStore } from '../store/index.js';
import { createDecisionMaker, type DecisionSettings } from './decision-maker.js';

const settings: DecisionSettings = {
  mode: 'observe',
  escalation: { factor: 2, maxDurationS: 86400 * 30, jitter: 0 },
  ipv6Scope: 'ip',
};

function detection(value: string, time: number, id = `det_${value}_${time}`): Detection {
  return {
    id,
    scenario: 'leuko/ssh-bf',
    time,
    entity: { type: 'ip', value },
    techniques: ['T1110.001'],
    confidence: 0.9,
    severity: 'medium',
    count: 6,
    explanation: '6 failed logins',
    evidence: [],
    remediation: { action: 'ban', durationS: 3600, scope: 'ip' },
  };
}

async function setup(allow: string[] = [], s: DecisionSettings = settings) {
  const store = openSqliteStore({ file: ':memory:' });
  await store.migrate();
  const clock = createManualClock(1_000);
  const ids = createSequentialIds();
  const make = () => createDecisionMaker({ store, ids, clock, allowlist: createAllowlist(allow), settings: s });
  return { store, make };
}

describe('decision maker', () => {
  it('proposes a ban with the scenario duration in observe mode', async () => {
    const { make } = await setup();
    const audit: AuditInput[] = [];
    const out = await make().decide(detection('203.0.113.9', 10_000), 'inc_1', audit);
    expect(out.kind).toBe('decided');
    if (out.kind !== 'decided') return;
    expect(out.decision).toMatchObject({
      scope: 'ip',
      value: '203.0.113.9',
      action: 'ban',
      durationS: 3600,
      createdAt: 10_000,
      expiresAt: 10_000 + 3600_000,
      status: 'proposed',
      offence: 1,
      incidentId: 'inc_1',
    });
    expect(audit.map((a) => a.action)).toEqual(['decision.proposed']);
  });

  it('never decides against an allowlisted address, and says so in the audit log', async () => {
    const { make } = await setup(['203.0.113.0/24']);
    const audit: AuditInput[] = [];
    const out = await make().decide(detection('203.0.113.9', 10_000), undefined, audit);
    expect(out).toEqual({ kind: 'allowlisted', entry: '203.0.113.0/24' });
    expect(audit[0]?.action).toBe('decision.suppressed');
    expect((await make().decide(detection('127.0.0.1', 10_000), undefined, [])).kind).toBe('allowlisted');
  });

  it('issues no duplicate while a decision is live, and escalates repeat offenders across restarts', async () => {
    const { store, make } = await setup();
    const first = await make().decide(detection('198.51.100.1', 0), undefined, []);
    expect(first.kind).toBe('decided');
    if (first.kind !== 'decided') return;
    const dup = await createDecisionMaker({
      store,
      ids: createSequentialIds(),
      clock: createManualClock(),
      allowlist: createAllowlist([]),
      settings,
    }).decide(detection('198.51.100.1', 60_000), undefined, []);
    // Not committed yet: a fresh maker cannot know; the live one must.
    expect(dup.kind).toBe('decided');
    await store.commit({ decisions: [first.decision] });

    const restarted = make();
    expect((await restarted.decide(detection('198.51.100.1', 60_000), undefined, [])).kind).toBe('already-active');
    const again = await restarted.decide(detection('198.51.100.1', 3600_000 + 1), undefined, []);
    expect(again.kind === 'decided' && again.decision.offence).toBe(2);
    expect(again.kind === 'decided' && again.decision.durationS).toBe(7200);
  });

  it('bans the configured IPv6 prefix, and not when it would cover an allowlisted host', async () => {
    const s = { ...settings, ipv6Scope: '/64' as const };
    const { make } = await setup(['2001:db8:0:1::53'], s);
    const out = await make().decide(detection('2001:db8:0:2::7', 0), undefined, []);
    expect(out.kind === 'decided' && [out.decision.scope, out.decision.value]).toEqual(['range', '2001:db8:0:2::/64']);
    expect((await make().decide(detection('2001:db8:0:1::99', 0), undefined, [])).kind).toBe('allowlisted');
  });
});
