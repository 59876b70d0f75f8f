import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditInput, AuditRecord } from '../core/audit.js';
import type { Store } from '../core/store.js';
import { auditRowHash, GENESIS_HASH } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';
import { type AuditTamper, auditInput, decision, type StoreConformanceOptions } from './store-fixtures.case.js';

/** Audit chain behaviour every store must share, and tamper detection when the store allows it. */
export function storeAuditCases(fresh: () => Promise<Store>, options: StoreConformanceOptions): void {
  it('verifies an empty log', async () => {
    const store = await fresh();
    expect(await store.verifyAudit()).toEqual({ ok: true, records: 0, head: GENESIS_HASH });
  });

  it('chains records with sha256(prevHash + "\\n" + canonicalJson(record))', async () => {
    const store = await fresh();
    await store.commit({ audit: [auditInput(1), auditInput(2, { data: { b: [1, { y: 2, x: 1 }], a: 'é\n"' } })] });
    await store.commit({ audit: [auditInput(3, { kind: 'operator', actor: 'cli:root', data: null })] });
    const records = await store.listAudit();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    let prev = GENESIS_HASH;
    for (const r of records) {
      const { seq, at, kind, action, subject, actor, data } = r;
      const expected = createHash('sha256')
        .update(`${prev}\n${canonicalJson({ seq, at, kind, action, subject, actor, data })}`)
        .digest('hex');
      expect(r.prevHash).toBe(prev);
      expect(r.hash).toBe(expected);
      prev = r.hash;
    }
    expect(records[1]?.data).toEqual({ a: 'é\n"', b: [1, { x: 1, y: 2 }] });
    expect(records[2]).toMatchObject({ kind: 'operator', actor: 'cli:root', data: null });
    expect(await store.verifyAudit()).toEqual({ ok: true, records: 3, head: prev });
  });

  it('lists audit records by kind, subject and position', async () => {
    const store = await fresh();
    await store.commit({
      audit: [
        auditInput(1),
        auditInput(2, { kind: 'detection', subject: 'det_1' }),
        auditInput(3, { subject: 'dec_1', action: 'decision.applied' }),
        auditInput(4, { kind: 'daemon', subject: 'leuko', data: undefined }),
      ],
    });
    const seqs = async (q: Parameters<Store['listAudit']>[0]) => (await store.listAudit(q)).map((r) => r.seq);
    expect(await seqs({ subject: 'dec_1' })).toEqual([1, 3]);
    expect(await seqs({ kind: 'decision' })).toEqual([1, 3]);
    expect(await seqs({ kind: 'decision', afterSeq: 1 })).toEqual([3]);
    expect(await seqs({ afterSeq: 1, limit: 2 })).toEqual([2, 3]);
    expect(await seqs({ limit: 0 })).toEqual([]);
    expect((await store.listAudit({ kind: 'daemon' }))[0]?.data).toBeNull();
  });

  it('verifies random histories and returns the data it was given', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(auditArb, { maxLength: 6 }), { maxLength: 6 }), async (batches) => {
        const store = await fresh();
        for (const audit of batches) await store.commit({ audit });
        const inputs = batches.flat();
        const records = await store.listAudit();
        expect(records).toHaveLength(inputs.length);
        expect(records).toMatchObject(inputs.map((input, i) => expectedRecord(input, i + 1)));
        expect(await store.verifyAudit()).toMatchObject({ ok: true, records: inputs.length });
        await store.close();
      }),
      { numRuns: 30 },
    );
  });

  if (options.openAnother) {
    const openAnother = options.openAnother;
    it('shares one log between two handles (daemon and CLI) without forking the chain', async () => {
      const daemon = await fresh();
      const cli = await openAnother(daemon);
      try {
        await daemon.commit({ checkpoints: [{ sourceId: 'file:0', state: '1' }], audit: [auditInput(1)] });
        expect(await cli.loadCheckpoint('file:0')).toBe('1');
        await cli.commit({ decisions: [decision(7)], audit: [auditInput(2, { actor: 'cli:root' })] });
        await daemon.commit({ audit: [auditInput(3), auditInput(4)] });
        expect((await daemon.getDecision('dec_7'))?.id).toBe('dec_7');
        expect((await cli.listAudit()).map((r) => [r.seq, r.actor])).toEqual([
          [1, 'scenario:leuko/ssh-bf'],
          [2, 'cli:root'],
          [3, 'scenario:leuko/ssh-bf'],
          [4, 'scenario:leuko/ssh-bf'],
        ]);
        expect(await cli.verifyAudit()).toMatchObject({ ok: true, records: 4 });
        expect(await daemon.verifyAudit()).toEqual(await cli.verifyAudit());
      } finally {
        await cli.close();
      }
    });
  }

  if (!options.tamper) return;
  const tamperWith = options.tamper;

  describe('tamper detection', () => {
    async function history(n: number): Promise<{ store: Store; records: AuditRecord[]; tamper: AuditTamper }> {
      const store = await fresh();
      for (let i = 1; i <= n; i += 3) {
        await store.commit({ audit: [i, i + 1, i + 2].filter((k) => k <= n).map((k) => auditInput(k)) });
      }
      const records = await store.listAudit();
      return { store, records, tamper: await tamperWith(store) };
    }

    async function expectBrokenAt(store: Store, seq: number): Promise<string> {
      const result = await store.verifyAudit();
      expect(result).toMatchObject({ ok: false, brokenAt: seq });
      return result.ok ? '' : result.reason;
    }

    it('(a) an edited record', async () => {
      const { store, tamper } = await history(10);
      await tamper.update(4, { data: canonicalJson({ n: 4, ip: '192.0.2.66' }) });
      await tamper.close();
      expect(await expectBrokenAt(store, 4)).toMatch(/record 4 was edited/);
    });

    it('(a) any edited field', async () => {
      for (const [column, value] of [
        ['at', 1],
        ['kind', 'operator'],
        ['action', 'decision.rejected'],
        ['subject', 'dec_99'],
        ['actor', 'cli:mallory'],
        ['prev_hash', 'f'.repeat(64)],
        ['hash', 'f'.repeat(64)],
      ] as const) {
        const { store, tamper } = await history(6);
        await tamper.update(3, { [column]: value });
        await tamper.close();
        await expectBrokenAt(store, 3);
      }
    });

    it('(b) a deleted record in the middle', async () => {
      const { store, tamper } = await history(10);
      await tamper.delete(5);
      await tamper.close();
      expect(await expectBrokenAt(store, 5)).toMatch(/record 5 is missing/);
    });

    it('(c) two records swapped', async () => {
      const { store, tamper } = await history(10);
      await tamper.swapSeq(3, 7);
      await tamper.close();
      await expectBrokenAt(store, 3);
    });

    it('(d) a deleted last record', async () => {
      const { store, tamper } = await history(10);
      await tamper.delete(10);
      await tamper.close();
      expect(await expectBrokenAt(store, 10)).toMatch(/missing.*end/);
    });

    it('(e) a record edited and re-hashed, in the middle and at the end', async () => {
      for (const seq of [1, 6, 10]) {
        const { store, records, tamper } = await history(10);
        await rewrite(tamper, records[seq - 1]!, { n: seq, forged: true });
        await tamper.close();
        expect(await expectBrokenAt(store, seq)).toMatch(new RegExp(`record ${seq} was rewritten`));
      }
    });

    it('a head moved back over deleted records, or records appended past the head', async () => {
      const moved = await history(10);
      await moved.tamper.delete(10);
      await moved.tamper.delete(9);
      await moved.tamper.setHead(8, moved.records[7]!.hash);
      await moved.tamper.close();
      expect(await moved.store.verifyAudit()).toMatchObject({ ok: true, records: 8 });
      // ...which is why the head must also be anchored outside the database (auditHead()).

      const appended = await history(10);
      await appended.tamper.setHead(9, appended.records[8]!.hash);
      await appended.tamper.close();
      expect(await expectBrokenAt(appended.store, 10)).toMatch(/appended outside/);

      const headless = await history(3);
      await headless.tamper.deleteHead();
      await headless.tamper.close();
      expect(await expectBrokenAt(headless.store, 3)).toMatch(/head is missing/);
      await expect(headless.store.commit({ audit: [auditInput(4)] })).rejects.toMatchObject({ code: 'STORE_FAILED' });
    });

    it('detects any single tampering after random histories, at the right seq', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(auditArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
          tamperArb,
          async (batches, t) => {
            const store = await fresh();
            for (const audit of batches) await store.commit({ audit });
            const records = await store.listAudit();
            const n = records.length;
            const k = 1 + (t.at % n);
            const tamper = await tamperWith(store);
            let expected = k;
            const target = records[k - 1]!;
            switch (t.op) {
              case 'edit':
                await tamper.update(k, { [t.column]: editedValue(target, t.column) });
                break;
              case 'delete':
                await tamper.delete(k);
                break;
              case 'swap': {
                if (n < 2) return tamper.close();
                const other = 1 + ((k + t.other) % n);
                if (other === k) return tamper.close();
                await tamper.swapSeq(k, other);
                expected = Math.min(k, other);
                break;
              }
              case 'rewrite':
                await rewrite(tamper, target, { forged: target.data });
                break;
            }
            await tamper.close();
            expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: expected });
            await store.close();
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}

/** Replace a record's data and recompute its own hash, as an attacker who knows the scheme would. */
async function rewrite(tamper: AuditTamper, r: AuditRecord, data: unknown): Promise<void> {
  const text = canonicalJson(data);
  const hash = auditRowHash({ ...r, data: text });
  await tamper.update(r.seq, { data: text, hash });
}

const COLUMNS = ['at', 'kind', 'action', 'subject', 'actor', 'data', 'prev_hash', 'hash'] as const;

function editedValue(r: AuditRecord, column: (typeof COLUMNS)[number]): string | number {
  switch (column) {
    case 'at':
      return r.at + 1;
    case 'data':
      return canonicalJson({ wrapped: r.data });
    case 'prev_hash':
      return r.prevHash === 'f'.repeat(64) ? 'e'.repeat(64) : 'f'.repeat(64);
    case 'hash':
      return r.hash === 'f'.repeat(64) ? 'e'.repeat(64) : 'f'.repeat(64);
    default:
      return `${r[column]}x`;
  }
}

const tamperArb = fc.record({
  op: fc.constantFrom('edit', 'delete', 'swap', 'rewrite'),
  at: fc.nat(),
  other: fc.nat(),
  column: fc.constantFrom(...COLUMNS),
});

const auditArb: fc.Arbitrary<AuditInput> = fc.record({
  kind: fc.constantFrom('detection', 'incident', 'decision', 'action', 'config', 'daemon', 'operator'),
  action: fc.string({ maxLength: 20 }),
  // Any UTF-16, lone surrogates and NUL included: ids and names can come from log lines.
  subject: fc.string({ unit: 'binary', maxLength: 12 }),
  actor: fc.string({ unit: 'grapheme', maxLength: 12 }),
  at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  data: fc.jsonValue({ maxDepth: 3 }),
});

/** What a store must hand back for an input: strings made storable (lone surrogates and NUL as U+FFFD), data as JSON re-read it. */
function expectedRecord(input: AuditInput, seq: number): Partial<AuditRecord> {
  const wf = (s: string) => s.replace(/[\p{Surrogate}\u0000]/gu, '\uFFFD');
  return {
    seq,
    at: input.at,
    kind: input.kind,
    action: wf(input.action),
    subject: wf(input.subject),
    actor: wf(input.actor),
    data: JSON.parse(canonicalJson(input.data)),
  };
}
