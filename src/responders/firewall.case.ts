import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Responder, ResponderContext } from '../core/responder.js';
import {
  canUseNetnsSync,
  createNetns,
  deleteNetns,
  linkNetns,
  type Netns,
  startTcpServer,
  tcpConnects,
  waitFor,
} from '../platform/nft/netns.js';

/**
 * The conformance suite every firewall backend must pass (nftables today). It runs the real
 * backend inside a fresh pair of network namespaces — victim 10.77.0.1 / 2001:db8:77::1 and
 * attacker 10.77.0.2 / 2001:db8:77::2 on a veth link — and proves bans with traffic: a TCP
 * connection from the attacker works before a ban, is dropped during it, and works again after
 * rollback or TTL expiry. Nothing touches the host's own ruleset.
 */
export interface FirewallEnv {
  /** Command prefix that runs a binary inside the victim namespace. */
  readonly prefix: readonly string[];
  /** The allowlist to pass to the responder: the suite checks it is honoured. */
  readonly protect: (addr: string) => boolean;
}

export interface FirewallHarness {
  readonly responder: Responder;
  /** Wipe the backend's state as an operator might (`nft flush ruleset`). */
  wipe(): Promise<void>;
  /** Processes the backend has started so far (batching is asserted through this). */
  processCount(): number;
}

const PORT = 8080;
const VICTIM4 = '10.77.0.1';
const ATTACKER4 = '10.77.0.2';
const VICTIM6 = '2001:db8:77::1';
const ATTACKER6 = '2001:db8:77::2';
/** The suite's allowlist: one documentation address the backend must refuse to ban. */
const PROTECTED = '192.0.2.10';

let seq = 0;
export function banDecision(value: string, ttlMs: number, extra: Partial<Decision> = {}): Decision {
  const now = systemClock.now();
  return {
    id: `dec_fw_${++seq}`,
    scope: value.includes('/') ? 'range' : 'ip',
    value,
    action: 'ban',
    durationS: Math.round(ttlMs / 1000),
    createdAt: now,
    expiresAt: now + ttlMs,
    origin: 'cli',
    reason: 'conformance test',
    blastRadius: 'low',
    status: 'approved',
    offence: 1,
    ...extra,
  };
}

export function testContext(logs: string[] = []): ResponderContext {
  return {
    signal: new AbortController().signal,
    clock: systemClock,
    timeoutMs: 30_000,
    log: (level, message) => logs.push(`${level}: ${message}`),
  };
}

export function describeFirewallConformance(name: string, make: (env: FirewallEnv) => FirewallHarness): void {
  const can = canUseNetnsSync();
  describe.skipIf(!can.ok)(`firewall conformance: ${name}${can.ok ? '' : ` (skipped: ${can.reason})`}`, () => {
    let victim: Netns | undefined;
    let attacker: Netns | undefined;
    let server: { stop(): Promise<void> } | undefined;
    let h: FirewallHarness;
    const ctx = testContext();
    const from4 = () => tcpConnects(attacker!, VICTIM4, PORT);
    const from6 = () => tcpConnects(attacker!, VICTIM6, PORT);
    const applied = async (ds: readonly Decision[]) => {
      const out = await h.responder.apply(ds, ctx);
      for (const d of ds) expect(out.get(d.id)?.kind, JSON.stringify(out.get(d.id))).toBe('applied');
      return out;
    };

    beforeAll(async () => {
      victim = await createNetns('victim');
      attacker = await createNetns('attacker');
      await linkNetns(victim, attacker, {
        a: `${VICTIM4}/24`,
        b: `${ATTACKER4}/24`,
        a6: `${VICTIM6}/64`,
        b6: `${ATTACKER6}/64`,
      });
      server = await startTcpServer(victim, PORT);
      h = make({ prefix: victim.prefix, protect: (a) => a === PROTECTED || a.startsWith(`${PROTECTED}/`) });
      await h.responder.start?.(ctx);
    });

    afterAll(async () => {
      await server?.stop();
      await deleteNetns(victim, attacker);
    });

    it('starts idempotently and a second start changes nothing', async () => {
      await h.responder.start?.(ctx);
      const report = await h.responder.reconcile?.([], ctx);
      if (report) expect(report).toEqual({ added: 0, removed: 0, drift: 0, errors: [] });
      expect(await from4()).toBe(true);
    });

    it('bans an IPv4 address: traffic is dropped, verify sees it, rollback restores it', async () => {
      const d = banDecision(ATTACKER4, 3_600_000);
      expect(await from4()).toBe(true);
      await applied([d]);
      expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: true });
      expect(await from4()).toBe(false);
      expect(await from6()).toBe(true);
      expect((await h.responder.rollback([d], ctx)).get(d.id)?.kind).toBe('applied');
      expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: false });
      expect(await from4()).toBe(true);
      // Rolling back what is not there is skipped, not a failure.
      expect((await h.responder.rollback([d], ctx)).get(d.id)?.kind).toBe('skipped');
    });

    it('bans an IPv6 address without touching IPv4', async () => {
      const d = banDecision(ATTACKER6, 3_600_000);
      await applied([d]);
      expect(await from6()).toBe(false);
      expect(await from4()).toBe(true);
      await h.responder.rollback([d], ctx);
      expect(await from6()).toBe(true);
    });

    it('bans ranges (CIDR intervals) in both families', async () => {
      const r4 = banDecision('10.77.0.2/31', 3_600_000);
      const r6 = banDecision('2001:db8:77::2/127', 3_600_000);
      await applied([r4, r6]);
      expect(await from4()).toBe(false);
      expect(await from6()).toBe(false);
      // An address inside a banned range is reported in force.
      expect(await h.responder.verify(banDecision(ATTACKER4, 60_000), ctx)).toMatchObject({ inForce: true });
      await h.responder.rollback([r4, r6], ctx);
      expect(await from4()).toBe(true);
      expect(await from6()).toBe(true);
    });

    it('lets a ban lapse when its TTL ends, without Leuko doing anything', async () => {
      const d = banDecision(ATTACKER4, 2000);
      await applied([d]);
      expect(await from4()).toBe(false);
      // Bounded: 2 s TTL, polled for at most ~8 s.
      expect(await waitFor(from4, true, 16, 500)).toBe(true);
      expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: false });
    });

    it('re-applying the same decisions is idempotent', async () => {
      const d = banDecision(ATTACKER4, 3_600_000);
      const r = banDecision('203.0.113.0/24', 3_600_000);
      await applied([d, r]);
      await applied([d, r]);
      await applied([r, d, d]);
      expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: true });
      expect(await h.responder.verify(r, ctx)).toMatchObject({ inForce: true });
      await h.responder.rollback([d, r], ctx);
      expect(await from4()).toBe(true);
    });

    it('skips expired decisions and never bans loopback or protected addresses', async () => {
      const expired = banDecision('198.51.100.7', -1000);
      const loop = banDecision('127.0.0.1', 60_000);
      const loop6 = banDecision('::1', 60_000);
      const wide = banDecision('0.0.0.0/0', 60_000);
      const prot = banDecision(PROTECTED, 60_000);
      const out = await h.responder.apply([expired, loop, loop6, wide, prot], ctx);
      for (const d of [expired, loop, loop6, wide, prot]) expect(out.get(d.id)?.kind).toBe('skipped');
      if (h.responder.reconcile) {
        const report = await h.responder.reconcile([loop, prot, wide], ctx);
        expect(report.added).toBe(0);
      }
      for (const d of [loop, prot, wide]) expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: false });
    });

    it('reconcile restores every ban after the firewall is wiped, then finds no drift', async () => {
      if (!h.responder.reconcile) return;
      const live = [
        banDecision(ATTACKER4, 3_600_000),
        banDecision(ATTACKER6, 3_600_000),
        banDecision('198.51.100.0/24', 3_600_000),
        banDecision('203.0.113.77', 3_600_000),
      ];
      await applied(live);
      expect(await from4()).toBe(false);
      await h.wipe();
      expect(await from4()).toBe(true);
      for (const d of live) expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: false });
      const report = await h.responder.reconcile(live, ctx);
      expect(report).toEqual({ added: live.length, removed: 0, drift: live.length, errors: [] });
      for (const d of live) expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: true });
      expect(await from4()).toBe(false);
      expect(await from6()).toBe(false);
      const again = await h.responder.reconcile(live, ctx);
      expect(again.drift).toBe(0);
      await h.responder.reconcile([], ctx);
    });

    it('reconcile removes stale elements no live decision asks for', async () => {
      if (!h.responder.reconcile) return;
      const keep = banDecision('203.0.113.5', 3_600_000);
      const stale = [banDecision(ATTACKER4, 3_600_000), banDecision('198.51.100.0/25', 3_600_000)];
      await applied([keep, ...stale]);
      const report = await h.responder.reconcile([keep], ctx);
      expect(report).toEqual({ added: 0, removed: 2, drift: 2, errors: [] });
      expect(await h.responder.verify(keep, ctx)).toMatchObject({ inForce: true });
      for (const d of stale) expect(await h.responder.verify(d, ctx)).toMatchObject({ inForce: false });
      expect(await from4()).toBe(true);
      await h.responder.reconcile([], ctx);
    });

    it('applies a 10 000-element batch in one process, and a quiet reconcile is one process', async () => {
      const many: Decision[] = [];
      for (let i = 0; i < 10_000; i++) many.push(banDecision(`198.18.${i >> 8}.${i & 255}`, 3_600_000));
      const before = h.processCount();
      const out = await h.responder.apply(many, ctx);
      expect(h.processCount() - before).toBe(1);
      expect([...out.values()].filter((o) => o.kind === 'applied')).toHaveLength(10_000);
      expect(await h.responder.verify(many[9_999]!, ctx)).toMatchObject({ inForce: true });
      if (h.responder.reconcile) {
        const quiet = h.processCount();
        expect((await h.responder.reconcile(many, ctx)).drift).toBe(0);
        expect(h.processCount() - quiet).toBe(1);
      }
      const rb = h.processCount();
      const back = await h.responder.rollback(many, ctx);
      expect(h.processCount() - rb).toBeLessThanOrEqual(2);
      expect([...back.values()].filter((o) => o.kind === 'applied')).toHaveLength(10_000);
      expect(await h.responder.verify(many[0]!, ctx)).toMatchObject({ inForce: false });
    });
  });
}
