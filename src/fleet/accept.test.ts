import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAllowlist } from '../policy/allowlist.js';
import { type AcceptContext, evaluateFleetDecision } from './accept.js';
import { type Envelope, generateFleetKey, parseEnvelope, encodeEnvelope, signEnvelope } from './envelope.js';
import { createQuorumTracker } from './quorum.js';
import type { SharedDecision } from './shared-decision.js';
import { createTrustRegistry } from './trust.js';

const NOW = Date.UTC(2026, 11, 6, 12);
const keys = { a: generateFleetKey(), b: generateFleetKey(), c: generateFleetKey(), rogue: generateFleetKey() };

function registry() {
  return createTrustRegistry([
    { agent: 'a', publicKey: keys.a.publicKeyText, trustedScopes: ['ip', 'range'], revoked: false, updatedAt: 1 },
    { agent: 'b', publicKey: keys.b.publicKeyText, trustedScopes: [], revoked: false, updatedAt: 1 },
    { agent: 'c', publicKey: keys.c.publicKeyText, trustedScopes: [], revoked: false, updatedAt: 1 },
    { agent: 'rogue', publicKey: keys.rogue.publicKeyText, trustedScopes: [], revoked: false, updatedAt: 1 },
  ]);
}

function ctx(over: Partial<AcceptContext> = {}): AcceptContext {
  return {
    self: 'me',
    registry: registry(),
    limits: { minPrefixV4: 24, minPrefixV6: 48 },
    allowlist: createAllowlist(['192.0.2.0/24']),
    fleetAddresses: createAllowlist(['10.77.0.0/16']),
    quorum: 0,
    tracker: createQuorumTracker({ windowMs: 3_600_000 }),
    now: NOW,
    ...over,
  };
}

function shared(over: Partial<SharedDecision> = {}): SharedDecision {
  return {
    id: 'dec_1',
    scope: 'ip',
    value: '203.0.113.9',
    action: 'ban',
    durationS: 3600,
    createdAt: NOW - 1000,
    expiresAt: NOW + 3_599_000,
    reason: 'ssh brute force',
    host: 'a',
    ...over,
  };
}

function signed(agent: keyof typeof keys, body: SharedDecision = shared(), as: string = agent): Envelope {
  return signEnvelope(keys[agent], { kind: 'decision', agent: as, at: NOW, id: `${as}-${body.id}`, body });
}

describe('evaluateFleetDecision', () => {
  it('accepts a decision signed by an agent trusted for its scope', () => {
    expect(evaluateFleetDecision(signed('a'), ctx())).toMatchObject({ verdict: 'accept', reporters: ['a'] });
  });

  it('ignores its own messages', () => {
    expect(evaluateFleetDecision(signed('a'), ctx({ self: 'a' }))).toEqual({ verdict: 'own' });
  });

  it('refuses a valid key that is not trusted for the scope', () => {
    const v = evaluateFleetDecision(signed('rogue'), ctx());
    expect(v).toMatchObject({ verdict: 'refuse' });
    expect((v as { reason: string }).reason).toMatch(/rogue is not trusted for scope ip/);
  });

  it('refuses a forged signature: a key signing in another agent\u2019s name', () => {
    const v = evaluateFleetDecision(signed('rogue', shared(), 'a'), ctx());
    expect(v).toEqual({ verdict: 'refuse', reason: "forged signature: not signed by a's key" });
  });

  it('refuses a body changed after signing', () => {
    const e = signed('a');
    const tampered = { ...e, body: shared({ value: '198.51.100.1' }) };
    expect(evaluateFleetDecision(tampered, ctx())).toMatchObject({ verdict: 'refuse', reason: /forged/ });
  });

  it('refuses unknown and revoked signers', () => {
    const reg = registry();
    reg.put({ agent: 'a', publicKey: keys.a.publicKeyText, trustedScopes: ['ip'], revoked: true, updatedAt: 2 });
    expect(evaluateFleetDecision(signed('a'), ctx({ registry: reg }))).toMatchObject({
      verdict: 'refuse',
      reason: /unknown or revoked signer/,
    });
    // A revoked agent stays revoked even when an older "enrolled" entry is replayed.
    reg.put({ agent: 'a', publicKey: keys.a.publicKeyText, trustedScopes: ['ip'], revoked: false, updatedAt: 3 });
    expect(evaluateFleetDecision(signed('a'), ctx({ registry: reg }))).toMatchObject({ verdict: 'refuse' });
  });

  it.each([
    ['0.0.0.0/0', 'range', /whole ipv4 internet/],
    ['::/0', 'range', /whole ipv6 internet/],
    ['198.51.0.0/16', 'range', /wider than the fleet's limit \/24/],
    ['2001:db8::/32', 'range', /wider than the fleet's limit \/48/],
    ['192.0.2.7', 'ip', /allowlisted here/],
    ['192.0.0.0/23', 'range', /wider/],
    ['127.0.0.1', 'ip', /allowlisted here/],
    ['10.77.3.1', 'ip', /covers a fleet host/],
    ['not-an-ip', 'ip', /not an address/],
    ['203.0.113.0/24', 'ip', /carries a range/],
  ] as const)('refuses %s (%s) whoever signs it', (value, scope, reason) => {
    const v = evaluateFleetDecision(signed('a', shared({ value, scope })), ctx());
    expect(v).toMatchObject({ verdict: 'refuse', reason: expect.stringMatching(reason) });
  });

  it('refuses expired and malformed decisions', () => {
    expect(evaluateFleetDecision(signed('a', shared({ expiresAt: NOW - 1 })), ctx())).toMatchObject({
      verdict: 'refuse',
      reason: /expired/,
    });
    const bad = signEnvelope(keys.a, { kind: 'decision', agent: 'a', at: NOW, id: 'x', body: { id: 1 } });
    expect(evaluateFleetDecision(bad, ctx())).toMatchObject({ verdict: 'refuse', reason: /malformed/ });
  });

  it('acts on an untrusted report once k distinct agents reported the same entity', () => {
    const c = ctx({ quorum: 3 });
    expect(evaluateFleetDecision(signed('b'), c)).toMatchObject({ verdict: 'wait', reason: /1 of 3/ });
    // The same agent again does not count twice.
    expect(evaluateFleetDecision(signed('b'), c)).toMatchObject({ verdict: 'wait', reason: /1 of 3/ });
    expect(evaluateFleetDecision(signed('rogue'), c)).toMatchObject({ verdict: 'wait', reason: /2 of 3/ });
    expect(evaluateFleetDecision(signed('c'), c)).toMatchObject({ verdict: 'accept', reporters: ['b', 'c', 'rogue'] });
  });

  it('lets quorum reports age out of the window', () => {
    const tracker = createQuorumTracker({ windowMs: 60_000 });
    expect(evaluateFleetDecision(signed('b'), ctx({ quorum: 2, tracker }))).toMatchObject({ verdict: 'wait' });
    expect(evaluateFleetDecision(signed('c'), ctx({ quorum: 2, tracker, now: NOW + 61_000 }))).toMatchObject({
      verdict: 'wait',
      reason: /1 of 2/,
    });
  });

  it('never accepts a forged or out-of-bounds message, whatever its fields (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          value: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string(), fc.constantFrom('0.0.0.0/0', '::/0', '192.0.2.1')),
          bits: fc.integer({ min: 0, max: 128 }),
          scope: fc.constantFrom('ip', 'range', 'user', 'host'),
          signer: fc.constantFrom('a', 'rogue'),
        }),
        ({ value, bits, scope, signer }) => {
          const v = scope === 'range' && !value.includes('/') ? `${value}/${bits}` : value;
          const e = signed(signer as 'a' | 'rogue', shared({ value: v, scope: scope as 'ip' }), 'a');
          const verdict = evaluateFleetDecision(e, ctx());
          if (signer === 'rogue') return verdict.verdict === 'refuse';
          if (verdict.verdict !== 'accept') return true;
          // Accepted: a bounded, non-allowlisted address or range.
          return (
            (scope === 'ip' || scope === 'range') &&
            !v.startsWith('0.0.0.0/0') &&
            !v.startsWith('::/0') &&
            createAllowlist(['192.0.2.0/24']).match(v) === undefined
          );
        },
      ),
    );
  });
});

describe('envelopes on the wire', () => {
  it('round-trips through bytes and rejects what is not an envelope', () => {
    const e = signed('a');
    const parsed = parseEnvelope(encodeEnvelope(e));
    expect(parsed).toEqual({ ok: true, envelope: e });
    expect(parseEnvelope(Buffer.from('nope'))).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseEnvelope(Buffer.from('{"v":2}'))).toMatchObject({ ok: false });
    expect(parseEnvelope(Buffer.from('{"v":1,"kind":"decision","agent":"a","id":"x","sig":"s","at":1}'))).toEqual({
      ok: false,
      reason: 'missing body',
    });
  });
});
