import { afterEach, expect, it } from 'vitest';
import type { ApiRepos, Credential, Store } from '../core/store.js';
import type { SqlRunner } from './sql-runner.js';
import { auditInput, decision, detection, incident, type StoreConformanceOptions, T0 } from './store-fixtures.case.js';

const cred = (id: string, name: string, role: Credential['role'], createdAt = T0): Credential => ({
  id,
  name,
  role,
  createdAt,
  lastUsedAt: null,
  revokedAt: null,
});

/** An approvals row as the daemon's queue writes it (migration 002). */
async function seedApproval(sql: SqlRunner, id: string, expiresAt: number, n: number): Promise<void> {
  const d = decision(n, { status: 'proposed' });
  await sql.run(
    'INSERT INTO approvals (id, decision_id, status, reason, created_at, expires_at, decided_by, decided_at, note, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, d.id, 'pending', 'high impact', T0 + n, expiresAt, null, null, null, JSON.stringify(d)],
  );
}

/** `ApiRepos` (src/core/store.ts): the same answers from SQLite and PostgreSQL. */
export function storeApiCases(fresh: () => Promise<Store>, options: StoreConformanceOptions): void {
  const open = options.api;
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  const setup = async (): Promise<{ store: Store; repos: ApiRepos; sql: SqlRunner }> => {
    if (!open) throw new Error('unreachable');
    const store = await fresh();
    const api = await open(store);
    closers.push(() => api.close());
    return { store, repos: api.repos, sql: api.sql };
  };
  const test = open ? it : it.skip;

  test('credentials: live ones by hash, bouncer names unique among live bouncers, revoke once', async () => {
    const { repos } = await setup();
    const c = repos.credentials;
    expect(await c.insert(cred('tok_1', 'vera', 'viewer'), 'h1')).toBe(true);
    expect(await c.insert(cred('bnc_1', 'fw1', 'bouncer', T0 + 1), 'h2')).toBe(true);
    expect(await c.insert(cred('bnc_2', 'fw1', 'bouncer', T0 + 2), 'h3')).toBe(false);
    expect(await c.byHash('h1')).toEqual(cred('tok_1', 'vera', 'viewer'));
    expect(await c.byHash('nope')).toBeUndefined();
    await c.touch('tok_1', T0 + 60_000);
    expect((await c.byHash('h1'))?.lastUsedAt).toBe(T0 + 60_000);
    expect((await c.list('tokens')).map((x) => x.id)).toEqual(['tok_1']);
    expect((await c.list('bouncers')).map((x) => x.id)).toEqual(['bnc_1']);
    // A bouncer's name does not revoke a token of the same name, and vice versa.
    expect(await c.revoke('vera', 'bouncers', T0)).toBeUndefined();
    expect(await c.revoke('fw1', 'bouncers', T0 + 5)).toMatchObject({ id: 'bnc_1', revokedAt: T0 + 5 });
    expect(await c.revoke('fw1', 'bouncers', T0 + 6)).toBeUndefined();
    expect(await c.byHash('h2')).toBeUndefined();
    // Its name is free again.
    expect(await c.insert(cred('bnc_3', 'fw1', 'bouncer', T0 + 7), 'h4')).toBe(true);
  });

  test('feedback: kept per incident, oldest first', async () => {
    const { repos } = await setup();
    const f = (id: string, incidentId: string, at: number, note: string | null) => ({
      id,
      incidentId,
      verdict: 'false_positive' as const,
      actor: 'token:otto',
      note,
      at,
    });
    await repos.feedback.add(f('fbk_2', 'inc_1', T0 + 2, null));
    await repos.feedback.add(f('fbk_1', 'inc_1', T0 + 1, 'a note'));
    await repos.feedback.add(f('fbk_3', 'inc_2', T0, null));
    expect(await repos.feedback.list('inc_1')).toEqual([
      f('fbk_1', 'inc_1', T0 + 1, 'a note'),
      f('fbk_2', 'inc_1', T0 + 2, null),
    ]);
    expect(await repos.feedback.list('inc_9')).toEqual([]);
  });

  test('approvals: pending lists only those not due, decide wins once and never after the expiry', async () => {
    const { repos, sql } = await setup();
    await seedApproval(sql, 'apr_1', T0 + 10_000, 1);
    await seedApproval(sql, 'apr_2', T0 + 100, 2);
    const now = T0 + 1000;
    expect((await repos.approvals.list(['pending'], 10, now)).map((a) => a.id)).toEqual(['apr_1']);
    expect((await repos.approvals.list(['pending', 'approved'], 10, now)).map((a) => a.id)).toEqual(['apr_1', 'apr_2']);
    expect(await repos.approvals.decide('apr_2', 'approved', 'token:otto', now)).toBeUndefined();
    const won = await repos.approvals.decide('apr_1', 'rejected', 'token:otto', now, 'not now');
    expect(won).toMatchObject({
      id: 'apr_1',
      status: 'rejected',
      decidedBy: 'token:otto',
      decidedAt: now,
      note: 'not now',
    });
    expect(won?.decision.id).toBe('dec_1');
    expect(await repos.approvals.decide('apr_1', 'approved', 'token:ada', now)).toBeUndefined();
    expect(await repos.approvals.get('apr_9')).toBeUndefined();
    expect(await repos.counts.pendingApprovals(T0)).toBe(1);
  });

  test('bouncer deliveries: new once, deleted once, per bouncer, startup resends everything', async () => {
    const { repos } = await setup();
    const b = repos.bouncers;
    const a = new Map([
      ['dec_1', '{"v":1}'],
      ['dec_2', '{"v":2}'],
    ]);
    expect(await b.deliver('bnc_1', false, a)).toEqual({ fresh: ['{"v":1}', '{"v":2}'], gone: [] });
    expect(await b.deliver('bnc_1', false, a)).toEqual({ fresh: [], gone: [] });
    expect(await b.deliver('bnc_2', false, a)).toEqual({ fresh: ['{"v":1}', '{"v":2}'], gone: [] });
    expect(await b.deliver('bnc_1', false, new Map([['dec_2', '{"v":2}']]))).toEqual({ fresh: [], gone: ['{"v":1}'] });
    expect(await b.deliver('bnc_1', true, a)).toEqual({ fresh: ['{"v":1}', '{"v":2}'], gone: [] });
  });

  test('counts, the audit head and the detection search agree with what was committed', async () => {
    const { store, repos } = await setup();
    expect(await repos.auditHeadSeq()).toBe(0);
    await store.commit({
      detections: [
        detection(1, { time: T0, scenario: 'leuko/ssh-bf' }),
        detection(2, { time: T0 + 1000, scenario: 'leuko/web-scan' }),
        detection(3, {
          time: T0 + 2000,
          scenario: 'leuko/web-scan',
          evidence: [{ timestamp: 'x', message: 'GET /Admin_50%.php', sourceId: 's' }],
        }),
      ],
      incidents: [
        incident(1, { status: 'open' }),
        incident(2, { status: 'contained' }),
        incident(3, { status: 'closed' }),
      ],
      decisions: [
        decision(1, { status: 'applied' }),
        decision(2, { status: 'rolled_back' }),
        decision(3, { status: 'proposed', expiresAt: T0 - 1 }),
      ],
      audit: [auditInput(1), auditInput(2), auditInput(3)],
    });
    expect(await repos.auditHeadSeq()).toBe(3);
    expect(await repos.counts.openIncidents()).toBe(2);
    expect(await repos.counts.activeDecisions(T0)).toBe(1);
    expect(await repos.counts.decisionsByActionStatus()).toEqual([
      { action: 'ban', status: 'applied', n: 1 },
      { action: 'ban', status: 'proposed', n: 1 },
      { action: 'ban', status: 'rolled_back', n: 1 },
    ]);
    const ids = (json: string[]) => json.map((j) => (JSON.parse(j) as { id: string }).id);
    expect(ids(await repos.searchDetections({ limit: 10 }))).toEqual(['det_3', 'det_2', 'det_1']);
    expect(ids(await repos.searchDetections({ scenario: 'leuko/web-scan', limit: 1 }))).toEqual(['det_3']);
    expect(ids(await repos.searchDetections({ since: T0 + 500, limit: 10 }))).toEqual(['det_3', 'det_2']);
    // Case-insensitive on both databases; `%` and `_` are literal.
    expect(ids(await repos.searchDetections({ q: 'admin_50%', limit: 10 }))).toEqual(['det_3']);
    expect(ids(await repos.searchDetections({ q: 'admin_5%0', limit: 10 }))).toEqual([]);
  });
}
