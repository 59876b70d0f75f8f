import { afterEach, describe, expect, it } from 'vitest';
import { ban, enforcerRig, T0 } from './enforcer.case.js';

const addr = (i: number) => `198.18.${(i >> 8) & 255}.${i & 255}`;

describe('enforcer with the breaker open', () => {
  let rig: Awaited<ReturnType<typeof enforcerRig>> | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('applies the budget, queues the rest in one pass, and counts them for status', async () => {
    rig = await enforcerRig({ budget: { maxPerMinute: 5, maxPerWindow: 1000, windowMs: 3_600_000 } });
    const { enforcer, store, fake } = rig;
    await enforcer.start();
    const flood = Array.from({ length: 3000 }, (_, i) => ban(addr(i)));
    await store.commit({ decisions: flood });
    await enforcer.submit(flood);
    expect(fake.inForce.size).toBe(5);
    const s = enforcer.status();
    expect(s.pendingApprovals).toBe(2995);
    expect(s.policy.breaker).toMatchObject({ state: 'open', trigger: 'budget', held: 2995 });
    const verified = await store.listDecisions({ status: ['verified'], limit: 10 });
    expect(verified).toHaveLength(5);
    // One incident says why.
    const incidents = await store.listIncidents({ limit: 10 });
    expect(incidents.map((i) => i.scenarios)).toEqual([['leuko/policy-breaker']]);
    // A tick neither re-evaluates the held decisions nor queues anything twice.
    await enforcer.tick();
    expect(enforcer.status().pendingApprovals).toBe(2995);
    expect(enforcer.status().policy.breaker.held).toBe(2995);
  });

  it('carries out answers given after more than a page of earlier answers', async () => {
    rig = await enforcerRig({ budget: { maxPerMinute: 1, maxPerWindow: 1000, windowMs: 3_600_000 } });
    const { enforcer, store, queue, fake, clock } = rig;
    await enforcer.start();
    const flood = Array.from({ length: 1300 }, (_, i) => ban(addr(i)));
    await store.commit({ decisions: flood });
    await enforcer.submit(flood);
    const pending = queue.list('pending', 10_000);
    expect(pending).toHaveLength(1299);
    // The operator approves 1200 (oldest first), then rejects one of the newest.
    for (const a of pending.slice(0, 1200)) queue.approve(a.id, 'cli:alice');
    clock.advance(1000);
    await enforcer.tick();
    await enforcer.tick();
    expect(fake.inForce.size).toBe(1201);
    const newest = pending.at(-1);
    const other = pending.at(-2);
    if (!newest || !other) throw new Error('queue too short');
    queue.reject(newest.id, 'cli:bob', 'false positive');
    queue.approve(other.id, 'cli:bob');
    clock.advance(1000);
    await enforcer.tick();
    expect(fake.inForce.has(other.decision.value)).toBe(true);
    expect(fake.inForce.has(newest.decision.value)).toBe(false);
    expect((await store.getDecision(newest.decisionId))?.statusReason).toBe('rejected by cli:bob: false positive');
    expect((await store.getDecision(other.decisionId))?.status).toBe('verified');
    expect(enforcer.status().pendingApprovals).toBe(1299 - 1202);
  });

  it('picks up a decision the CLI stored while thousands are held', async () => {
    rig = await enforcerRig({ budget: { maxPerMinute: 1, maxPerWindow: 1000, windowMs: 3_600_000 } });
    const { enforcer, store, fake, clock } = rig;
    await enforcer.start();
    const flood = Array.from({ length: 2000 }, (_, i) => ban(addr(i)));
    await store.commit({ decisions: flood });
    await enforcer.submit(flood);
    await enforcer.tick();
    // Stored by another process, older in event time than the whole flood.
    const manual = ban('203.0.113.50', { origin: 'cli', createdAt: T0 - 60_000 });
    await store.commit({ decisions: [manual] });
    clock.advance(1000);
    await enforcer.tick();
    expect(fake.inForce.has('203.0.113.50')).toBe(true);
    expect((await store.getDecision(manual.id))?.policy?.rule).toBe('operator');
  });

  it('expires unanswered approvals as rejections, and rolls back due bans in one call', async () => {
    rig = await enforcerRig({
      budget: { maxPerMinute: 3, maxPerWindow: 1000, windowMs: 3_600_000 },
      approvalExpiryMs: 60_000,
    });
    const { enforcer, store, fake, clock } = rig;
    await enforcer.start();
    const flood = Array.from({ length: 50 }, (_, i) => ban(addr(i), { durationS: 120, expiresAt: T0 + 120_000 }));
    await store.commit({ decisions: flood });
    await enforcer.submit(flood);
    clock.advance(61_000);
    await enforcer.tick();
    expect(enforcer.status().pendingApprovals).toBe(0);
    const rejected = await store.listDecisions({ status: ['rejected'], limit: 100 });
    expect(rejected).toHaveLength(47);
    expect(rejected.every((d) => d.statusReason === 'approval expired unanswered')).toBe(true);
    clock.advance(60_000);
    const before = fake.calls.rollback;
    await enforcer.tick();
    expect(fake.calls.rollback - before).toBe(1);
    expect(fake.inForce.size).toBe(0);
    expect(await store.listDecisions({ status: ['expired'], limit: 100 })).toHaveLength(3);
  });

  it('gives the same answers through the generic queue feed', async () => {
    rig = await enforcerRig(
      { budget: { maxPerMinute: 2, maxPerWindow: 1000, windowMs: 3_600_000 } },
      { feed: 'queue' },
    );
    const { enforcer, store, queue, fake, clock } = rig;
    await enforcer.start();
    const flood = Array.from({ length: 20 }, (_, i) => ban(addr(i)));
    await store.commit({ decisions: flood });
    await enforcer.submit(flood);
    expect(enforcer.status().pendingApprovals).toBe(18);
    const [first] = queue.list('pending');
    if (!first) throw new Error('nothing queued');
    queue.approve(first.id, 'cli:alice');
    clock.advance(1000);
    await enforcer.tick();
    expect(fake.inForce.size).toBe(3);
    expect(enforcer.status().pendingApprovals).toBe(17);
  });
});
