import type { AuditVerifyResult } from '../core/audit.js';
import { type AuditHead, chainHash, GENESIS_HASH, recordCanonical } from './audit-chain.js';

/**
 * One stored record as read back, in column order
 * `[seq, at, kind, action, subject, actor, data, prev_hash, hash]`. Values are `unknown`:
 * whoever tampered with the file may have left any type in any column.
 */
export type RawAuditRow = readonly unknown[];

/** The SELECT list matching `RawAuditRow`. */
export const RAW_AUDIT_COLUMNS = 'seq, at, kind, action, subject, actor, data, prev_hash, hash';

/**
 * Walk the chain in seq order and report the FIRST broken record. Streaming: keeps only the
 * previous hash, so memory stays flat for any length.
 *
 * What each tampering looks like, and where it is reported:
 * - a field edited (data, actor, at, seq...): the record's hash no longer matches → that seq;
 * - a record deleted: a gap in seq → the missing seq;
 * - records reordered (seq swapped): the hash covers seq and the previous hash → the first one moved;
 * - a record edited AND re-hashed: the next record's prev_hash no longer links to it while the next
 *   record is itself intact → the rewritten seq (for the newest record, the head shows it);
 * - the newest records deleted, or records appended outside the store: the chain alone is still
 *   valid, but `head` (written in the same transaction as every append) disagrees.
 *
 * Limit, by construction: someone with full write access to the database can rewrite every
 * record and the head consistently. Anchoring the head elsewhere (export it, sign it, ship it to
 * the fleet) and comparing is what catches that; see `auditHead()`.
 *
 * `records` counts the records found intact before the break.
 */
export function verifyChain(rows: Iterable<RawAuditRow>, head: AuditHead | undefined): AuditVerifyResult {
  const verifier = createChainVerifier();
  for (const row of rows) {
    const failure = verifier.push(row);
    if (failure) return failure;
  }
  return verifier.finish(head);
}

/** `verifyChain` over rows that arrive asynchronously (a PostgreSQL store's pages). */
export async function verifyChainAsync(
  rows: AsyncIterable<RawAuditRow>,
  head: AuditHead | undefined,
): Promise<AuditVerifyResult> {
  const verifier = createChainVerifier();
  for await (const row of rows) {
    const failure = verifier.push(row);
    if (failure) return failure;
  }
  return verifier.finish(head);
}

/**
 * The chain check one row at a time, so any store can stream its log through it with flat
 * memory: `push` returns the first break found, `finish` compares the end with the head.
 */
export function createChainVerifier(): {
  push(row: RawAuditRow): AuditVerifyResult | undefined;
  finish(head: AuditHead | undefined): AuditVerifyResult;
} {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let intact = 0;
  return {
    push(row) {
      const [seq, at, kind, action, subject, actor, data, storedPrev, storedHash] = row;
      if (seq !== expected) {
        if (typeof seq === 'number' && seq > expected) {
          const range = seq - expected > 1 ? `records ${expected}..${seq - 1} are` : `record ${expected} is`;
          return broken(intact, expected, `${range} missing (deleted): the next record is ${seq}`);
        }
        return broken(intact, expected, `record ${String(seq)} is out of sequence where ${expected} was expected`);
      }
      const linkOk = storedPrev === prevHash;
      const selfHash = chainHash(String(storedPrev), recordCanonical(seq, at, kind, action, subject, actor, data));
      const selfOk = selfHash === storedHash;
      if (!linkOk) {
        // This record is intact as written, so the previous one changed after it was chained:
        // it was edited and its hash recomputed to hide the edit.
        if (selfOk && seq > 1) {
          return broken(
            intact - 1,
            seq - 1,
            `record ${seq - 1} was rewritten: its hash is not the one record ${seq} was chained to`,
          );
        }
        return broken(
          intact,
          seq,
          seq === 1
            ? 'record 1 does not start from the genesis hash'
            : `record ${seq} does not link to record ${seq - 1} (prev_hash mismatch)`,
        );
      }
      if (!selfOk) return broken(intact, seq, `record ${seq} was edited: its content does not match its hash`);
      prevHash = String(storedHash);
      intact++;
      expected++;
      return undefined;
    },
    finish(head) {
      const last = expected - 1;
      if (head === undefined) {
        return last === 0
          ? { ok: true, records: 0, head: GENESIS_HASH }
          : broken(intact, last, 'the audit head is missing: the end of the log cannot be confirmed');
      }
      if (head.seq > last) {
        const range = head.seq - last > 1 ? `records ${last + 1}..${head.seq} are` : `record ${head.seq} is`;
        return broken(
          intact,
          last + 1,
          `${range} missing (deleted from the end): the head says the log ends at ${head.seq}`,
        );
      }
      if (head.seq < last) {
        return broken(
          head.seq,
          head.seq + 1,
          `record ${head.seq + 1} was appended outside the store: the head says the log ends at ${head.seq}`,
        );
      }
      if (head.hash !== prevHash) {
        return last === 0
          ? broken(0, 0, 'the audit head was edited: the log is empty but the head hash is not the genesis hash')
          : broken(intact - 1, last, `record ${last} was rewritten: its hash does not match the audit head`);
      }
      return { ok: true, records: intact, head: prevHash };
    },
  };
}

function broken(records: number, brokenAt: number, reason: string): AuditVerifyResult {
  return { ok: false, records: Math.max(0, records), brokenAt, reason };
}
