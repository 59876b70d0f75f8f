import * as crypto from 'node:crypto';
import type { AuditInput } from '../core/audit.js';
import { LeukoError } from '../core/errors.js';
import { canonicalJson, jsonString } from './canonical-json.js';

/** `prev_hash` of record 1 and the head hash of an empty log. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where the chain ends: export or anchor it elsewhere to make a full rewrite detectable. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** An audit record as stored, every field as it goes into the hash. */
export interface AuditRow {
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly action: string;
  readonly subject: string;
  readonly actor: string;
  /** Canonical JSON text of the record's data, hashed verbatim. */
  readonly data: string;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * `canonicalJson({seq, at, kind, action, subject, actor, data})` built by concatenation, with
 * `data` already canonical text. Keys are in sorted order, so this is byte-identical to
 * canonicalJson of the parsed record (a test pins that) without parsing `data` again; the
 * verifier hashes the stored text itself, so a byte changed in it (even white space) shows.
 * Parameters are `unknown` because a verifier reads whatever an attacker left in the columns.
 */
export function recordCanonical(
  seq: unknown,
  at: unknown,
  kind: unknown,
  action: unknown,
  subject: unknown,
  actor: unknown,
  data: unknown,
): string {
  return (
    `{"action":${scalar(action)},"actor":${scalar(actor)},"at":${scalar(at)},` +
    `"data":${typeof data === 'string' ? data : String(data)},` +
    `"kind":${scalar(kind)},"seq":${scalar(seq)},"subject":${scalar(subject)}}`
  );
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  return v === null || v === undefined ? 'null' : jsonString(String(v));
}

// crypto.hash (Node >= 20.12) is a one-shot digest about twice as fast as createHash for
// short inputs; fall back for older 20.x releases.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** `sha256(prevHash + '\n' + canonical)` as lower-case hex (UTF-8 input). */
export function chainHash(prevHash: string, canonical: string): string {
  return sha256Hex(`${prevHash}\n${canonical}`);
}

/** The hash a record must carry, from its fields (data as canonical JSON text). */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  return chainHash(
    row.prevHash,
    recordCanonical(row.seq, row.at, row.kind, row.action, row.subject, row.actor, row.data),
  );
}

// A lone surrogate cannot be stored as UTF-8: SQLite would hand back U+FFFD and the record
// would then fail verification although nobody touched it. PostgreSQL refuses NUL in text
// outright (the whole batch would fail). Replace both before hashing, on every store, so a
// record reads and verifies the same wherever it lives.
const NOT_STORABLE = /[\p{Surrogate}\u0000]/u;
function wellFormed(s: string): string {
  return NOT_STORABLE.test(s) ? s.replace(/[\p{Surrogate}\u0000]/gu, '\uFFFD') : s;
}

/**
 * Chain `inputs` after `head`: give each the next seq and its hash, hand it to `sink` (the
 * INSERT), and return the new head. Rows are streamed rather than collected so that a burst of
 * 100k records does not keep 100k objects alive until the end of the batch. The caller runs this
 * inside the write transaction that read `head`: two processes appending must never fork the chain.
 * `at` is recorded in whole milliseconds (fractions are floored, so every dialect stores it
 * exactly); `data` undefined is recorded as null.
 */
export function chainAudit(head: AuditHead, inputs: readonly AuditInput[], sink: (row: AuditRow) => void): AuditHead {
  let { seq, hash } = head;
  for (const input of inputs) {
    if (typeof input.at !== 'number' || !Number.isFinite(input.at)) {
      throw new LeukoError('STORE_FAILED', `audit record ${input.action} has a non-finite time: ${String(input.at)}`, {
        details: { action: input.action, subject: input.subject },
      });
    }
    const prevHash = hash;
    const at = Math.floor(input.at);
    const kind = wellFormed(input.kind);
    const action = wellFormed(input.action);
    const subject = wellFormed(input.subject);
    const actor = wellFormed(input.actor);
    const data = canonicalJson(input.data);
    seq++;
    hash = chainHash(prevHash, recordCanonical(seq, at, kind, action, subject, actor, data));
    sink({ seq, at, kind, action, subject, actor, data, prevHash, hash });
  }
  return { seq, hash };
}
