import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCountingRunner } from '../../platform/nft/exec.js';
import { canUseNetnsSync, createNetns, deleteNetns, type Netns } from '../../platform/nft/netns.js';
import { createNft, type Nft } from '../../platform/nft/nft.js';
import { banDecision, describeFirewallConformance, testContext } from '../firewall.case.js';
import { createNftablesResponder, type NftablesResponder } from './responder.js';

describeFirewallConformance('nftables', ({ prefix, protect }) => {
  const counting = createCountingRunner();
  const nft = createNft({ prefix, exec: counting.run });
  return {
    responder: createNftablesResponder({ nft, protect }),
    wipe: () => nft.run('flush ruleset'),
    processCount: counting.count,
  };
});

const can = canUseNetnsSync();

describe.skipIf(!can.ok)('nftables responder specifics (in a namespace)', () => {
  let ns: Netns | undefined;
  let nft: Nft;
  let r: NftablesResponder;
  const ctx = testContext();
  const listTable = async () => (await nft.listJson(['table', 'inet', 'leuko'])).sets;
  const elementsOf = async (set: string) =>
    ((await listTable()).find((s) => s.name === set)?.elem ?? []).map((e) => ({
      val: typeof e.val === 'string' ? e.val : JSON.stringify(e.val),
      timeout: e.timeout,
    }));

  beforeAll(async () => {
    ns = await createNetns('nft');
    nft = createNft({ prefix: ns.prefix });
    r = createNftablesResponder({ nft });
    // Someone else's table: Leuko must never touch it.
    await nft.run(
      'add table inet other\nadd chain inet other c { type filter hook input priority 0; policy accept; }\nadd rule inet other c tcp dport 22 accept',
    );
    await r.start!(ctx);
  });
  afterAll(async () => {
    await deleteNetns(ns);
  });

  it('creates the table, four timeout sets and hooked chains with counters', async () => {
    const listing = await nft.listJson(['table', 'inet', 'leuko']);
    expect(listing.sets.map((s) => [s.name, s.type, [...(s.flags ?? [])].sort().join(',')])).toEqual([
      ['ban4', 'ipv4_addr', 'timeout'],
      ['ban6', 'ipv6_addr', 'timeout'],
      ['range4', 'ipv4_addr', 'interval,timeout'],
      ['range6', 'ipv6_addr', 'interval,timeout'],
    ]);
    expect(listing.chains.map((c) => [c.name, c.hook, c.prio, c.policy])).toEqual([
      ['input', 'input', -150, 'accept'],
      ['forward', 'forward', -150, 'accept'],
    ]);
    expect(listing.rules).toHaveLength(8);
    expect(listing.rules.every((rule) => rule.expr.some((e) => 'counter' in e))).toBe(true);
  });

  it('an escalated ban gets the longer timeout; a shorter one never cuts it short', async () => {
    const first = banDecision('203.0.113.20', 60_000);
    await r.apply([first], ctx);
    expect(await elementsOf('ban4')).toEqual([{ val: '203.0.113.20', timeout: 60 }]);
    await r.apply([banDecision('203.0.113.20', 7_200_000)], ctx);
    expect(await elementsOf('ban4')).toEqual([{ val: '203.0.113.20', timeout: 7200 }]);
    await r.apply([banDecision('203.0.113.20', 30_000)], ctx);
    expect(await elementsOf('ban4')).toEqual([{ val: '203.0.113.20', timeout: 7200 }]);
    await r.reconcile!([], ctx);
  });

  it('handles ranges inside and around other ranges without an overlap error', async () => {
    const inner = banDecision('198.51.100.128/25', 3_600_000);
    const outer = banDecision('198.51.100.0/24', 3_600_000);
    const addr = banDecision('198.51.100.200', 3_600_000);
    await r.apply([inner], ctx);
    const out = await r.apply([outer, addr], ctx);
    expect(out.get(outer.id)).toMatchObject({ kind: 'applied' });
    // The address keeps its own element and timeout: it does not depend on the range's.
    expect(await elementsOf('ban4')).toEqual([{ val: '198.51.100.200', timeout: 3600 }]);
    expect((await elementsOf('range4')).map((e) => e.val)).toEqual([
      JSON.stringify({ prefix: { addr: '198.51.100.0', len: 24 } }),
    ]);
    const again = await r.apply([inner], ctx);
    expect(again.get(inner.id)).toEqual({
      kind: 'applied',
      detail: '198.51.100.128/25 already dropped: inside 198.51.100.0/24 in range4',
    });
    expect(await r.verify(inner, ctx)).toMatchObject({ inForce: true });
    // Reconcile keeps only the outermost range and every address.
    const report = await r.reconcile!([inner, outer, addr], ctx);
    expect(report.drift).toBe(0);
    // When the outer range's decision is gone, the inner one is re-added by reconcile.
    const after = await r.reconcile!([inner, addr], ctx);
    expect(after).toMatchObject({ added: 1, removed: 1 });
    expect(await r.verify(inner, ctx)).toMatchObject({
      inForce: true,
      detail: expect.stringContaining('198.51.100.128/25 in range4'),
    });
    await r.reconcile!([], ctx);
  });

  it('normalises values: host bits, v4-mapped IPv6, and refuses junk that could inject nft syntax', async () => {
    const hostBits = banDecision('198.51.100.77/24', 3_600_000);
    const mapped = banDecision('::ffff:203.0.113.9', 3_600_000, { scope: 'ip' });
    const junk = banDecision('1.2.3.4 } ; flush ruleset ; add element inet leuko ban4 { 5.6.7.8', 60_000, {
      scope: 'ip',
    });
    const out = await r.apply([hostBits, mapped, junk], ctx);
    expect(out.get(junk.id)).toMatchObject({ kind: 'failed', retryable: false });
    expect(out.get(hostBits.id)).toMatchObject({ kind: 'applied' });
    expect((await elementsOf('ban4')).map((e) => e.val)).toEqual(['203.0.113.9']);
    expect(await r.verify(hostBits, ctx)).toMatchObject({ inForce: true });
    expect((await nft.listJson(['table', 'inet', 'other'])).rules).toHaveLength(1);
    await r.reconcile!([], ctx);
  });

  it('repairs a flushed chain and a set re-made with the wrong flags, and leaves other tables alone', async () => {
    const d = banDecision('203.0.113.30', 3_600_000);
    const range = banDecision('203.0.113.64/26', 3_600_000);
    await r.apply([d, range], ctx);
    await nft.run('flush chain inet leuko input');
    expect(await r.verify(d, ctx)).toMatchObject({
      inForce: false,
      reason: expect.stringContaining('input rules differ'),
    });
    await nft.run(
      'flush chain inet leuko forward\ndelete set inet leuko range4\nadd set inet leuko range4 { type ipv4_addr; }',
    );
    const report = await r.reconcile!([d, range], ctx);
    expect(report).toMatchObject({ added: 1, removed: 0, errors: [] });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    expect(await r.verify(range, ctx)).toMatchObject({ inForce: true });
    expect((await r.reconcile!([d, range], ctx)).drift).toBe(0);
    expect((await nft.listJson(['table', 'inet', 'other'])).rules).toHaveLength(1);
    await r.reconcile!([], ctx);
  });

  it('removes many stale ranges in one rewrite and adds elements missing a timeout', async () => {
    const ranges = Array.from({ length: 100 }, (_, i) => banDecision(`10.${i}.0.0/16`, 3_600_000));
    await r.apply(ranges, ctx);
    await nft.run('add element inet leuko ban4 { 203.0.113.40 }');
    const keep = banDecision('203.0.113.40', 3_600_000);
    const report = await r.reconcile!([ranges[0]!, keep], ctx);
    expect(report).toMatchObject({ added: 1, removed: 99, errors: [] });
    expect(await elementsOf('ban4')).toEqual([{ val: '203.0.113.40', timeout: 3600 }]);
    expect(await elementsOf('range4')).toHaveLength(1);
    await r.reconcile!([], ctx);
  });

  it('verify reports hits counted by the set', async () => {
    const d = banDecision('10.99.0.1', 3_600_000);
    await r.apply([d], ctx);
    // A packet from 10.99.0.1 on loopback of the namespace: the input chain drops it.
    await ns!.exec(['ip', 'addr', 'add', '10.99.0.1/32', 'dev', 'lo']);
    await ns!.exec(['ip', 'addr', 'add', '10.99.0.2/32', 'dev', 'lo']);
    await ns!.exec([
      process.execPath,
      '-e',
      "require('net').connect({host:'10.99.0.2',port:9,localAddress:'10.99.0.1'}).on('error',()=>{}).setTimeout(300,()=>process.exit(0))",
    ]);
    const v = await r.verify(d, ctx);
    expect(v).toMatchObject({ inForce: true });
    expect(v.inForce && v.detail).toMatch(/[1-9]\d* packets dropped/);
    await r.rollback([d], ctx);
  });

  it('plans the exact statements', () => {
    const p = r.plan(banDecision('203.0.113.9', 14_400_000));
    expect(p.summary).toBe('add 203.0.113.9 to inet leuko ban4 with timeout 4h (remaining TTL at apply time)');
    expect(p.steps).toEqual([
      'add element inet leuko ban4 { 203.0.113.9 timeout 1s }',
      'delete element inet leuko ban4 { 203.0.113.9 }',
      'add element inet leuko ban4 { 203.0.113.9 timeout 14400s }',
    ]);
    expect(p.reversible).toBe(true);
    expect(r.plan(banDecision('10.0.0.0/8', 60_000)).blastRadius).toBe('medium');
    expect(r.plan(banDecision('127.0.0.2', 60_000)).steps).toEqual([]);
  });
});
