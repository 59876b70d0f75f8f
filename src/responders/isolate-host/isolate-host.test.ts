import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision.js';
import {
  canUseNetnsSync,
  createNetns,
  deleteNetns,
  linkNetns,
  type Netns,
  startTcpServer,
  tcpConnects,
  waitFor,
} from '../../platform/nft/netns.js';
import { createNft, type Nft } from '../../platform/nft/nft.js';
import { banDecision, testContext } from '../firewall.case.js';
import { createIsolateHostResponder } from './responder.js';

function isolation(ttlMs: number, value = 'self'): Decision {
  return { ...banDecision('192.0.2.1', ttlMs), scope: 'host', value, action: 'isolate-host', blastRadius: 'high' };
}

const can = canUseNetnsSync();

describe.skipIf(!can.ok)('isolate-host in network namespaces', () => {
  let victim: Netns | undefined;
  let mgmt: Netns | undefined;
  let other: Netns | undefined;
  let server: { stop(): Promise<void> } | undefined;
  let nft: Nft;
  const ctx = testContext();
  const fromMgmt = () => tcpConnects(mgmt!, '10.77.0.1', 8080);
  const fromOther = () => tcpConnects(other!, '10.77.1.1', 8080);
  const local = () => tcpConnects(victim!, '127.0.0.1', 8080);

  beforeAll(async () => {
    victim = await createNetns('iso-victim');
    mgmt = await createNetns('iso-mgmt');
    other = await createNetns('iso-other');
    await linkNetns(victim, mgmt, { a: '10.77.0.1/24', b: '10.77.0.2/24' });
    await linkNetns(victim, other, { a: '10.77.1.1/24', b: '10.77.1.2/24' });
    server = await startTcpServer(victim, 8080);
    nft = createNft({ prefix: victim.prefix });
    // Someone else's table, which isolation must leave alone.
    await nft.run('add table inet other');
  });
  afterAll(async () => {
    await server?.stop();
    await deleteNetns(victim, mgmt, other);
  });

  it('plans a high blast radius change with the exact ruleset', () => {
    const r = createIsolateHostResponder({ nft, management: ['10.77.0.2/32'] });
    const p = r.plan(isolation(3_600_000));
    expect(p.blastRadius).toBe('high');
    expect(p.summary).toContain('ISOLATE THIS HOST for 1h');
    expect(p.steps).toContain('  set mgmt4 { type ipv4_addr; flags interval; elements = { 10.77.0.2 }; }');
    expect(p.steps.filter((s) => s.includes('meta nfproto @armed counter drop'))).toHaveLength(3);
  });

  it('isolates: management and loopback keep working, everyone else is cut off; rollback restores', async () => {
    const r = createIsolateHostResponder({ nft, management: ['10.77.0.2/32', '2001:db8:1::/48'] });
    const d = isolation(3_600_000);
    expect(await fromOther()).toBe(true);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    expect(await fromMgmt()).toBe(true);
    expect(await local()).toBe(true);
    expect(await fromOther()).toBe(false);
    expect((await r.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false });
    expect(await fromOther()).toBe(true);
    expect((await r.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'skipped' });
    expect((await nft.listJson(['tables'])).tables.map((x) => x.name)).toContain('other');
  });

  it('lifts itself in the kernel when the TTL ends, even with Leuko gone', async () => {
    const r = createIsolateHostResponder({ nft, management: ['10.77.0.2'] });
    const d = isolation(2000);
    await r.apply([d], ctx);
    expect(await fromOther()).toBe(false);
    expect(await waitFor(fromOther, true, 16, 500)).toBe(true);
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false });
    expect((await r.reconcile!([], ctx)).removed).toBe(1);
  });

  it('refuses without management addresses, for another host, or when expired', async () => {
    const none = createIsolateHostResponder({ nft, management: [] });
    const d = isolation(60_000);
    expect((await none.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('lock operators out'),
    });
    const named = createIsolateHostResponder({ nft, management: ['10.77.0.2'], host: 'web-1' });
    const elsewhere = isolation(60_000, 'db-7');
    expect((await named.apply([elsewhere], ctx)).get(elsewhere.id)).toMatchObject({ kind: 'skipped' });
    const old = isolation(-1);
    expect((await named.apply([old], ctx)).get(old.id)).toMatchObject({ kind: 'skipped', reason: 'already expired' });
    expect(await fromOther()).toBe(true);
    expect(() => createIsolateHostResponder({ nft, management: ['not-an-ip'] })).toThrow(/not an address/);
  });

  it('reconcile re-isolates after a flush while the decision is live, and lifts it when it is not', async () => {
    const r = createIsolateHostResponder({ nft, management: ['10.77.0.2'] });
    const d = isolation(3_600_000);
    await r.apply([d], ctx);
    expect((await r.reconcile!([d], ctx)).drift).toBe(0);
    await nft.run('flush ruleset');
    expect(await fromOther()).toBe(true);
    expect(await r.reconcile!([d], ctx)).toEqual({ added: 1, removed: 0, drift: 1, errors: [] });
    expect(await fromOther()).toBe(false);
    expect(await fromMgmt()).toBe(true);
    expect(await r.reconcile!([], ctx)).toEqual({ added: 0, removed: 1, drift: 1, errors: [] });
    expect(await fromOther()).toBe(true);
  });
});
