import { describe, expect, it } from 'vitest';
import type { AuditInput } from '../core/audit.js';
import { type AuditHead, type AuditRow, chainAudit, GENESIS_HASH } from './audit-chain.js';
import { type RawAuditRow, verifyChain } from './audit-verify.js';

function chain(n: number): { rows: AuditRow[]; head: AuditHead } {
  const inputs: AuditInput[] = Array.from({ length: n }, (_, i) => ({
    kind: 'decision',
    action: 'decision.applied',
    subject: `dec_${i + 1}`,
    actor: 'leuko',
    at: 1000 + i,
    data: { i },
  }));
  const rows: AuditRow[] = [];
  const head = chainAudit({ seq: 0, hash: GENESIS_HASH }, inputs, (r) => rows.push(r));
  return { rows, head };
}

const raw = (rows: readonly AuditRow[]): RawAuditRow[] =>
  rows.map((r) => [r.seq, r.at, r.kind, r.action, r.subject, r.actor, r.data, r.prevHash, r.hash]);

describe('chainAudit', () => {
  it('numbers records after the head and links each to the one before', () => {
    const { rows, head } = chain(3);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(head).toEqual({ seq: 3, hash: rows[2]?.hash });
    expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('floors fractional times, records undefined data as null, and rejects non-finite times', () => {
    const rows: AuditRow[] = [];
    const base = { kind: 'daemon', action: 'daemon.started', subject: 'leuko', actor: 'leuko' } as const;
    chainAudit({ seq: 0, hash: GENESIS_HASH }, [{ ...base, at: 1.9, data: undefined }], (r) => rows.push(r));
    expect(rows[0]).toMatchObject({ at: 1, data: 'null' });
    expect(() => chainAudit({ seq: 0, hash: GENESIS_HASH }, [{ ...base, at: Number.NaN, data: 1 }], () => {})).toThrow(
      /non-finite time/,
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const { rows, head } = chain(5);
    expect(verifyChain(raw(rows), head)).toEqual({ ok: true, records: 5, head: head.hash });
    expect(verifyChain([], { seq: 0, hash: GENESIS_HASH })).toEqual({ ok: true, records: 0, head: GENESIS_HASH });
    expect(verifyChain([], undefined)).toMatchObject({ ok: true, records: 0 });
  });

  it('names the first broken record and why', () => {
    const { rows, head } = chain(6);
    const edited = raw(rows).map((r) => (r[0] === 2 ? [...r.slice(0, 6), '{"i":99}', ...r.slice(7)] : r));
    expect(verifyChain(edited, head)).toEqual({
      ok: false,
      records: 1,
      brokenAt: 2,
      reason: 'record 2 was edited: its content does not match its hash',
    });
    const gap = raw(rows).filter((r) => r[0] !== 3 && r[0] !== 4);
    expect(verifyChain(gap, head)).toMatchObject({
      brokenAt: 3,
      reason: 'records 3..4 are missing (deleted): the next record is 5',
    });
    expect(verifyChain(raw(rows).slice(0, 4), head)).toMatchObject({
      brokenAt: 5,
      records: 4,
      reason: 'records 5..6 are missing (deleted from the end): the head says the log ends at 6',
    });
    expect(verifyChain(raw(rows).slice(1), head)).toMatchObject({ brokenAt: 1 });
    expect(verifyChain(raw(rows), undefined)).toMatchObject({ brokenAt: 6, reason: expect.stringMatching(/head/) });
    expect(verifyChain([], { seq: 0, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, brokenAt: 0 });
  });

  it('does not crash on junk in any column', () => {
    const { rows, head } = chain(2);
    const junk: RawAuditRow[] = [[1, null, 5, Buffer.from('x'), undefined, {}, 7, null, 3], ...raw(rows).slice(1)];
    expect(verifyChain(junk, head)).toMatchObject({ ok: false, brokenAt: 1 });
    expect(verifyChain([['1', ...raw(rows)[0]!.slice(1)]], head)).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
