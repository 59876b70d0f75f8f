import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../core/decision.js';
import { decision, engineWith } from './fixtures.case.js';

const ADMIN = '198.51.100.7';
const HOST = '192.0.2.10';
const HOST6 = '2001:db8:77::1';

/** Targets that must never be acted on, in the spellings an attacker might use. */
const protectedTarget = fc.constantFrom(
  ['ip', '10.3.4.5'],
  ['ip', '127.0.0.1'],
  ['ip', '::1'],
  ['ip', '::ffff:127.0.0.1'],
  ['ip', ADMIN],
  ['ip', `::ffff:${ADMIN}`],
  ['ip', HOST],
  ['ip', HOST6],
  ['ip', '2001:DB8:77:0:0:0:0:1'],
  ['range', '10.0.0.0/8'],
  ['range', '198.51.100.0/24'],
  ['range', '192.0.0.0/8'],
  ['range', '2001:db8:77::/64'],
  ['range', '0.0.0.0/0'],
  ['range', '::/0'],
) as fc.Arbitrary<[Decision['scope'], string]>;

const otherTarget = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .filter(([a]) => a !== 10 && a !== 127 && a !== 192 && a !== 198)
  .map(([a, b, c]) => ['ip', `${a}.${b}.${c}.9`] as [Decision['scope'], string]);

const step = fc.record({
  target: fc.oneof(protectedTarget, otherTarget),
  action: fc.constantFrom('ban', 'freeze', 'kill', 'isolate-host', 'notify', 'command'),
  radius: fc.constantFrom('low', 'medium', 'high') as fc.Arbitrary<Decision['blastRadius']>,
  advanceMs: fc.integer({ min: 0, max: 120_000 }),
  operator: fc.boolean(),
  dryRun: fc.boolean(),
});

describe('policy engine properties', () => {
  it('no sequence of decisions gets an allowlisted target approved, queued or planned', () => {
    fc.assert(
      fc.property(fc.constantFrom('observe', 'contain', 'heal'), fc.array(step, { maxLength: 60 }), (mode, steps) => {
        const { engine, clock } = engineWith(
          { mode: mode as 'contain', allowlist: ['10.0.0.0/8'], allowHighImpact: ['ban', 'isolate-host'] },
          { hostAddresses: () => [HOST, HOST6], adminSessions: () => [{ user: 'root', address: ADMIN }] },
        );
        for (const s of steps) {
          clock.advance(s.advanceMs);
          const [scope, value] = s.target;
          const v = engine.evaluate(
            decision({ scope, value, action: s.action, blastRadius: s.radius }),
            s.operator ? { operator: 'cli:root', dryRun: s.dryRun } : { dryRun: s.dryRun },
          );
          const isProtected = !/^\d+\.\d+\.\d+\.9$/.test(value) || value.startsWith('10.');
          if (isProtected) expect(v.kind).toBe('reject');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('in any 60 s window no more than the budget is approved autonomously', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 8 })), { maxLength: 80 }),
        fc.integer({ min: 1000, max: 120_000 }),
        (budget, bursts, cooldownMs) => {
          const { engine, clock } = engineWith({
            budget: { maxPerMinute: budget, maxPerWindow: 10_000, windowMs: 3_600_000 },
            breaker: { factor: 10, minRate: 1e6, cooldownMs, halfLifeMs: 3_600_000 },
          });
          const approved: number[] = [];
          let i = 0;
          for (const [gap, count] of bursts) {
            clock.advance(gap);
            engine.tick();
            for (let k = 0; k < count; k++) {
              const v = engine.evaluate(decision({ value: `203.0.${(i >> 8) & 255}.${i++ & 255}` }));
              if (v.kind === 'approve') approved.push(clock.now());
            }
          }
          // Every window [t, t + 60 s) starting at an approval holds at most `budget` approvals.
          for (let a = 0; a < approved.length; a++) {
            let n = 0;
            for (let b = a; b < approved.length && (approved[b] as number) < (approved[a] as number) + 60_000; b++) n++;
            expect(n).toBeLessThanOrEqual(budget);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the breaker reports one trip per opening and never a reset without a trip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 40 })), { maxLength: 40 }),
        (bursts) => {
          const { engine, clock, events } = engineWith({
            breaker: { factor: 10, minRate: 5, cooldownMs: 60_000, halfLifeMs: 3_600_000 },
          });
          let i = 0;
          for (const [gap, count] of bursts) {
            clock.advance(gap);
            engine.tick();
            for (let k = 0; k < count; k++) engine.evaluate(decision({ value: `203.0.113.${i++ & 255}` }));
          }
          let open = false;
          for (const e of events) {
            expect(e.kind === 'breaker.tripped').toBe(!open);
            open = !open;
          }
          expect(engine.status().breaker.state).toBe(open ? 'open' : 'closed');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('policy engine robustness', () => {
  it('never throws on junk decisions', () => {
    fc.assert(
      fc.property(
        fc.record({
          scope: fc.constantFrom('ip', 'range', 'user', 'host', 'process', 'file', 'service'),
          value: fc.string({ maxLength: 60 }),
          action: fc.string({ maxLength: 20 }),
          blastRadius: fc.string({ maxLength: 8 }),
          scenario: fc.string({ maxLength: 20 }),
        }),
        (junk) => {
          const { engine } = engineWith({ scenarios: { x: { dryRun: true } } });
          const v = engine.evaluate(decision(junk as unknown as Partial<Decision>));
          expect(['approve', 'queue', 'reject', 'observe', 'dry-run']).toContain(v.kind);
          if (v.kind === 'approve') expect(['low', 'medium']).toContain(v.blastRadius);
        },
      ),
      { numRuns: 500 },
    );
  });
});
