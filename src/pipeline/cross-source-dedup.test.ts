import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCrossSourceDedup, SNAPSHOT_LINES } from './cross-source-dedup.js';

const MAIL = 'Dec  7 10:00:01 mx postfix/smtpd[812]: warning: unknown[203.0.113.9]: SASL LOGIN authentication failed';

describe('cross-source duplicate lines', () => {
  it("drops a line another source gave (syslog's copy of mail.log), once", () => {
    const d = createCrossSourceDedup();
    expect(d.duplicate(MAIL, 'mail.log')).toBe(false);
    expect(d.duplicate(MAIL, 'syslog')).toBe(true);
    // Written a second time by the service itself: a new occurrence, in both files again.
    expect(d.duplicate(MAIL, 'mail.log')).toBe(false);
    expect(d.duplicate(MAIL, 'syslog')).toBe(true);
  });

  it('keeps a line the same source gave twice', () => {
    const d = createCrossSourceDedup();
    expect(d.duplicate(MAIL, 'auth.log')).toBe(false);
    expect(d.duplicate(MAIL, 'auth.log')).toBe(false);
  });

  it('forgets lines past its capacity, so a late copy counts again', () => {
    const d = createCrossSourceDedup(3);
    d.duplicate('a', 'x');
    d.duplicate('b', 'x');
    d.duplicate('c', 'x');
    d.duplicate('d', 'x');
    expect(d.duplicate('a', 'y')).toBe(false);
    expect(d.duplicate('d', 'y')).toBe(true);
  });

  it('carries the recent lines across a restart through snapshot and restore', () => {
    const before = createCrossSourceDedup();
    expect(before.duplicate(MAIL, 'mail.log')).toBe(false);
    expect(before.duplicate('matched already', 'mail.log')).toBe(false);
    expect(before.duplicate('matched already', 'syslog')).toBe(true);
    const after = createCrossSourceDedup();
    after.restore(before.snapshot());
    // syslog re-reads its copy after its checkpoint: mail.log's line was counted before the crash.
    expect(after.duplicate(MAIL, 'syslog')).toBe(true);
    // A copy already matched is not expected again.
    expect(after.duplicate('matched already', 'syslog')).toBe(false);
    // An unreadable snapshot leaves an empty table, never a crash.
    const fresh = createCrossSourceDedup();
    fresh.restore('{not json');
    fresh.restore(
      JSON.stringify({
        v: 1,
        sources: ['a'],
        lines: [
          ['x', 0],
          [1, 5],
        ],
      }),
    );
    expect(fresh.duplicate(MAIL, 'syslog')).toBe(false);
  });

  it('keeps at most SNAPSHOT_LINES lines in a snapshot, the newest', () => {
    const d = createCrossSourceDedup();
    for (let i = 0; i < SNAPSHOT_LINES + 10; i++) d.duplicate(`line ${i}`, 'a');
    const after = createCrossSourceDedup();
    after.restore(d.snapshot());
    expect(after.duplicate(`line ${SNAPSHOT_LINES + 9}`, 'b')).toBe(true);
    expect(after.duplicate('line 0', 'b')).toBe(false);
  });

  it('property: over two sources, a line is never kept fewer times than its busier source gave it', () => {
    const line = fc.constantFrom('l1', 'l2', 'l3', 'l4');
    fc.assert(
      fc.property(fc.array(fc.tuple(line, fc.constantFrom('A', 'B')), { maxLength: 60 }), (seq) => {
        const d = createCrossSourceDedup(1000);
        const kept = new Map<string, number>();
        const per = new Map<string, number>();
        for (const [l, src] of seq) {
          per.set(`${src}:${l}`, (per.get(`${src}:${l}`) ?? 0) + 1);
          if (!d.duplicate(l, src)) kept.set(l, (kept.get(l) ?? 0) + 1);
        }
        for (const l of ['l1', 'l2', 'l3', 'l4']) {
          const want = Math.max(per.get(`A:${l}`) ?? 0, per.get(`B:${l}`) ?? 0);
          expect(kept.get(l) ?? 0).toBeGreaterThanOrEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });
});
