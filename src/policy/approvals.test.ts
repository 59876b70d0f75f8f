import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createSequentialIds } from '../core/ids.js';
import { createApprovalsRepo } from '../store/approvals-repo.js';
import { migrateSqlite } from '../store/sqlite-migrate.js';
import { openSqliteDatabase } from '../store/sqlite-open.js';
import type { Approval } from './approval.js';
import { createApprovalQueue } from './approvals.js';
import { decision, T0 } from './fixtures.case.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function openQueue(file = ':memory:', expireAfterMs = 3_600_000) {
  const clock = createManualClock(T0);
  const { db, path } = openSqliteDatabase({ file });
  migrateSqlite(db, path, clock);
  const repo = createApprovalsRepo(db, path);
  return { queue: createApprovalQueue({ repo, clock, ids: createSequentialIds(), expireAfterMs }), clock, db, repo };
}

describe('approval queue', () => {
  it('queues, lists and approves', () => {
    const { queue, clock } = openQueue();
    const d = decision({ action: 'isolate-host', scope: 'host', value: 'web1' });
    const a = queue.enqueue(d, 'high impact');
    expect(a).toMatchObject({ status: 'pending', decisionId: d.id, expiresAt: T0 + 3_600_000, reason: 'high impact' });
    expect(queue.list('pending').map((x) => x.id)).toEqual([a.id]);
    clock.advance(1000);
    const answer = queue.approve(a.id, 'cli:root');
    expect(answer.kind).toBe('approved');
    if (answer.kind === 'approved') {
      expect(answer.approval).toMatchObject({ status: 'approved', decidedBy: 'cli:root', decidedAt: T0 + 1000 });
      expect(answer.approval.decision).toEqual(d);
    }
    expect(queue.list('pending')).toEqual([]);
    expect(queue.approve(a.id, 'cli:other').kind).toBe('already-decided');
    expect(queue.reject(a.id, 'cli:other').kind).toBe('already-decided');
  });

  it('rejects with a reason', () => {
    const { queue } = openQueue();
    const a = queue.enqueue(decision(), 'breaker open');
    const answer = queue.reject(a.id, 'cli:alice', 'false positive');
    expect(answer).toMatchObject({ kind: 'rejected', approval: { status: 'rejected', note: 'false positive' } });
  });

  it('is idempotent per decision (a replayed batch does not queue twice)', () => {
    const { queue } = openQueue();
    const d = decision();
    const a = queue.enqueue(d, 'first');
    const b = queue.enqueue(d, 'again');
    expect(b.id).toBe(a.id);
    expect(b.reason).toBe('first');
    expect(queue.list()).toHaveLength(1);
  });

  it('expires unanswered approvals, which are then never approvable', () => {
    const { queue, clock } = openQueue(':memory:', 60_000);
    const a = queue.enqueue(decision(), 'high impact');
    const b = queue.enqueue(decision(), 'high impact', T0 + 10 * 60_000);
    clock.advance(60_000);
    expect(queue.list('pending').map((x) => x.id)).toEqual([b.id]);
    expect(queue.approve(a.id, 'cli:root')).toMatchObject({ kind: 'expired', approval: { status: 'expired' } });
    expect(queue.approve(a.id, 'cli:root').kind).toBe('expired');
    expect(queue.expire().map((x) => x.id)).toEqual([]);
    clock.advance(10 * 60_000);
    expect(queue.expire().map((x) => x.id)).toEqual([b.id]);
    expect(queue.get(b.id)).toMatchObject({ status: 'expired', decidedBy: 'policy:expiry' });
  });

  it('answers not-found for unknown ids', () => {
    const { queue } = openQueue();
    expect(queue.approve('apr_nope', 'cli:root')).toEqual({ kind: 'not-found', id: 'apr_nope' });
  });

  it('is durable and shared between processes: only one of two reviewers wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leuko-approvals-'));
    dirs.push(dir);
    const file = join(dir, 'leuko.db');
    const daemon = openQueue(file);
    const a = daemon.queue.enqueue(decision(), 'high impact');
    daemon.db.close();
    const cli1 = openQueue(file);
    const cli2 = openQueue(file);
    expect(cli1.queue.list('pending').map((x) => x.id)).toEqual([a.id]);
    const r1 = cli1.queue.approve(a.id, 'cli:alice');
    const r2 = cli2.queue.reject(a.id, 'cli:bob', 'no');
    expect(r1.kind).toBe('approved');
    expect(r2.kind).toBe('already-decided');
    expect(cli2.queue.get(a.id)?.decidedBy).toBe('cli:alice');
    cli1.db.close();
    cli2.db.close();
  });

  it('property: an approval is never approved at or after its expiry, and never changes once decided', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('enqueue' as const), ttl: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constantFrom('approve' as const, 'reject' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('expire' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const { queue, clock, db } = openQueue();
        const ids: string[] = [];
        const final = new Map<string, Approval['status']>();
        for (const o of ops) {
          if (o.kind === 'enqueue') ids.push(queue.enqueue(decision(), 'r', clock.now() + o.ttl).id);
          else if (o.kind === 'advance') clock.advance(o.ms);
          else if (o.kind === 'expire') queue.expire();
          else if (ids.length > 0) {
            const id = ids[o.pick % ids.length] as string;
            const before = queue.get(id);
            const r = o.kind === 'approve' ? queue.approve(id, 'cli:root') : queue.reject(id, 'cli:root');
            if (r.kind === 'approved') expect(clock.now()).toBeLessThan(before?.expiresAt ?? 0);
            if (before?.status !== 'pending') expect(r.kind === 'approved' || r.kind === 'rejected').toBe(false);
          }
          for (const a of queue.list()) {
            const seen = final.get(a.id);
            if (seen !== undefined && seen !== 'pending') expect(a.status).toBe(seen);
            final.set(a.id, a.status);
            if (a.status === 'approved') expect(a.decidedAt).toBeLessThan(a.expiresAt);
          }
        }
        db.close();
      }),
      { numRuns: 200 },
    );
  });
});
