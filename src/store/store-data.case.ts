import { expect, it } from 'vitest';
import type { Decision } from '../core/decision.js';
import { LeukoError } from '../core/errors.js';
import type { Store } from '../core/store.js';
import { FOREVER_MS } from './rows.js';
import { auditInput, decision, detection, incident, T0 } from './store-fixtures.case.js';

/** Commit, atomicity, upsert and query behaviour every store must share. */
export function storeDataCases(fresh: () => Promise<Store>): void {
  it('migrate() is idempotent and keeps data', async () => {
    const store = await fresh();
    await store.migrate();
    await store.commit({ checkpoints: [{ sourceId: 'file:0', state: '{"offset":1}' }], audit: [auditInput(1)] });
    await store.migrate();
    await store.migrate();
    expect(await store.loadCheckpoint('file:0')).toBe('{"offset":1}');
    expect(await store.verifyAudit()).toMatchObject({ ok: true, records: 1 });
  });

  it('stores and replaces checkpoints and engine state', async () => {
    const store = await fresh();
    expect(await store.loadCheckpoint('file:0')).toBeUndefined();
    expect(await store.loadState('buckets')).toBeUndefined();
    await store.commit({
      checkpoints: [
        { sourceId: 'file:0', state: 'a' },
        { sourceId: 'file:1', state: 'b' },
      ],
      state: [{ key: 'buckets', value: '{"n":1}' }],
    });
    await store.commit({ checkpoints: [{ sourceId: 'file:0', state: 'c' }], state: [{ key: 'buckets', value: '{}' }] });
    expect(await store.loadCheckpoint('file:0')).toBe('c');
    expect(await store.loadCheckpoint('file:1')).toBe('b');
    expect(await store.loadState('buckets')).toBe('{}');
    await store.commit({});
    expect(await store.loadCheckpoint('file:0')).toBe('c');
  });

  it('writes nothing of a batch that fails halfway, checkpoint included', async () => {
    const store = await fresh();
    await store.commit({
      checkpoints: [{ sourceId: 'file:0', state: 'before' }],
      decisions: [decision(1)],
      audit: [auditInput(1), auditInput(2)],
    });
    const bad = { ...decision(3), status: 'bogus' } as unknown as Decision;
    const failing = store.commit({
      checkpoints: [{ sourceId: 'file:0', state: 'after' }],
      state: [{ key: 'k', value: 'v' }],
      detections: [detection(2)],
      incidents: [incident(2)],
      // The valid decision is written before the bad one: the rollback must undo it.
      decisions: [decision(2), bad],
      audit: [auditInput(3)],
    });
    await expect(failing).rejects.toBeInstanceOf(LeukoError);
    await expect(failing).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await store.loadCheckpoint('file:0')).toBe('before');
    expect(await store.loadState('k')).toBeUndefined();
    expect(await store.getDetections(['det_2'])).toEqual([]);
    expect(await store.getIncident('inc_2')).toBeUndefined();
    expect((await store.listDecisions()).map((d) => d.id)).toEqual(['dec_1']);
    expect((await store.listAudit()).map((r) => r.seq)).toEqual([1, 2]);
    expect(await store.verifyAudit()).toMatchObject({ ok: true, records: 2 });
    // The chain continues where it was, without a gap left by the failed batch.
    await store.commit({ audit: [auditInput(4)] });
    expect((await store.listAudit()).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await store.verifyAudit()).toMatchObject({ ok: true, records: 3 });
  });

  it('rejects an audit record with a non-finite time without writing the batch', async () => {
    const store = await fresh();
    const failing = store.commit({
      checkpoints: [{ sourceId: 'file:0', state: 'x' }],
      audit: [auditInput(1), auditInput(2, { at: Number.NaN })],
    });
    await expect(failing).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(await store.loadCheckpoint('file:0')).toBeUndefined();
    expect(await store.listAudit()).toEqual([]);
  });

  it('upserts detections, incidents and decisions by id', async () => {
    const store = await fresh();
    await store.commit({
      detections: [detection(1), detection(2)],
      incidents: [incident(1)],
      decisions: [decision(1)],
    });
    await store.commit({
      detections: [detection(1, { count: 42 })],
      incidents: [incident(1, { status: 'contained', lastSeen: T0 + 99_000, detectionIds: ['det_1', 'det_2'] })],
      decisions: [decision(1, { status: 'rolled_back' })],
    });
    expect(await store.getDetections(['det_1', 'det_2'])).toEqual([detection(1, { count: 42 }), detection(2)]);
    expect(await store.getIncident('inc_1')).toEqual(
      incident(1, { status: 'contained', lastSeen: T0 + 99_000, detectionIds: ['det_1', 'det_2'] }),
    );
    expect(await store.listIncidents({ status: ['open'] })).toEqual([]);
    expect(await store.getDecision('dec_1')).toEqual(decision(1, { status: 'rolled_back' }));
    expect(await store.listDecisions()).toHaveLength(1);
    expect(await store.countOffences('ip', decision(1).value)).toBe(1);
  });

  it('returns detections in the order asked, skipping unknown ids', async () => {
    const store = await fresh();
    await store.commit({ detections: [detection(1), detection(2), detection(3)] });
    const got = await store.getDetections(['det_3', 'nope', 'det_1']);
    expect(got.map((d) => d.id)).toEqual(['det_3', 'det_1']);
    expect(await store.getDetections([])).toEqual([]);
    expect(await store.getDecision('nope')).toBeUndefined();
    expect(await store.getIncident('nope')).toBeUndefined();
  });

  it('lists decisions in force at a time: live status and not yet expired', async () => {
    const store = await fresh();
    const t = T0 + 10_000_000;
    const ds = [
      decision(1, { status: 'applied', expiresAt: t + 1 }),
      decision(2, { status: 'verified', expiresAt: t + 5000 }),
      decision(3, { status: 'proposed', expiresAt: t + 5000 }),
      decision(4, { status: 'approved', expiresAt: t + 5000 }),
      decision(5, { status: 'applied', expiresAt: t }), // expires exactly at t: no longer in force
      decision(6, { status: 'applied', expiresAt: t - 1 }),
      decision(7, { status: 'rejected', expiresAt: t + 5000 }),
      decision(8, { status: 'rolled_back', expiresAt: t + 5000 }),
      decision(9, { status: 'expired', expiresAt: t + 5000 }),
      decision(10, { status: 'applied', expiresAt: t + 5000, scope: 'user', value: 'root' }),
    ];
    await store.commit({ decisions: ds });
    const ids = async (q: Parameters<Store['listDecisions']>[0]) => (await store.listDecisions(q)).map((d) => d.id);
    // Newest first.
    expect(await ids({ activeAt: t })).toEqual(['dec_10', 'dec_4', 'dec_3', 'dec_2', 'dec_1']);
    expect(await ids({ activeAt: t, scope: 'ip' })).toEqual(['dec_4', 'dec_3', 'dec_2', 'dec_1']);
    expect(await ids({ activeAt: t, scope: 'ip', value: '203.0.113.2' })).toEqual(['dec_2']);
    expect(await ids({ activeAt: t, scope: 'ip', value: '203.0.113.5' })).toEqual([]);
    expect(await ids({ activeAt: t + 1 })).toEqual(['dec_10', 'dec_4', 'dec_3', 'dec_2']);
    expect(await ids({ activeAt: t, status: ['applied', 'rejected'] })).toEqual(['dec_10', 'dec_1']);
    expect(await ids({ activeAt: t, status: [] })).toEqual([]);
    expect(await ids({ activeAt: t, limit: 2 })).toEqual(['dec_10', 'dec_4']);
    expect(await ids({ status: ['expired', 'rejected'] })).toEqual(['dec_9', 'dec_7']);
    expect(await ids({})).toHaveLength(10);
    expect(await ids(undefined)).toHaveLength(10);
  });

  it('keeps a permanent decision (infinite expiry) in force', async () => {
    const store = await fresh();
    await store.commit({ decisions: [decision(1, { expiresAt: Number.POSITIVE_INFINITY })] });
    expect((await store.getDecision('dec_1'))?.expiresAt).toBe(FOREVER_MS);
    expect((await store.listDecisions({ activeAt: T0 + 100 * 365 * 86_400_000 })).map((d) => d.id)).toEqual(['dec_1']);
  });

  it('counts offences of any status per scope and value', async () => {
    const store = await fresh();
    await store.commit({
      decisions: [
        decision(1, { value: '198.51.100.7', status: 'expired' }),
        decision(2, { value: '198.51.100.7', status: 'rejected' }),
        decision(3, { value: '198.51.100.7', status: 'applied' }),
        decision(4, { value: '198.51.100.8' }),
        decision(5, { value: '198.51.100.7', scope: 'range' }),
      ],
    });
    expect(await store.countOffences('ip', '198.51.100.7')).toBe(3);
    expect(await store.countOffences('ip', '198.51.100.8')).toBe(1);
    expect(await store.countOffences('range', '198.51.100.7')).toBe(1);
    expect(await store.countOffences('ip', '192.0.2.1')).toBe(0);
  });

  it('lists incidents by status and entity, most recent first', async () => {
    const store = await fresh();
    await store.commit({
      incidents: [
        incident(1, { lastSeen: T0 + 1 }),
        incident(2, { lastSeen: T0 + 3, status: 'closed' }),
        incident(3, { lastSeen: T0 + 2, entity: { type: 'ip', value: '203.0.113.1' } }),
      ],
    });
    const ids = async (q: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(q)).map((i) => i.id);
    expect(await ids({})).toEqual(['inc_2', 'inc_3', 'inc_1']);
    expect(await ids({ status: ['open'] })).toEqual(['inc_3', 'inc_1']);
    expect(await ids({ status: [] })).toEqual([]);
    expect(await ids({ entityValue: '203.0.113.1' })).toEqual(['inc_3', 'inc_1']);
    expect(await ids({ limit: 1 })).toEqual(['inc_2']);
  });

  it('fails with STORE_FAILED after close, and close is idempotent', async () => {
    const store = await fresh();
    await store.close();
    await store.close();
    await expect(store.loadCheckpoint('x')).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await expect(store.commit({ checkpoints: [{ sourceId: 'x', state: 'y' }] })).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
  });
}
