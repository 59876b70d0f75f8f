import { StringMemo } from '../../../core/string-memo.js';

/**
 * Remembers the verdicts of the expensive filter keys (decode + pattern list + regexes) per raw
 * field value. Logs repeat the same user agents, referrers and URLs line after line, so most
 * lines skip the decoding and the automaton scans entirely. All costly keys on one field share
 * one record per value, so a line pays one look-up per field, not one per key.
 *
 * A fixed four-way set-associative table (a StringMemo) bounds memory; an attacker varying
 * every value only turns the cache into misses, which cost what the uncached tests cost.
 */
/** Sets of WAYS entries: 8192 values per field at most. */
const SETS = 2048;
const WAYS = 4;
/** Longer values (payloads, giant URLs) are tested directly, never kept. */
export const VERDICT_MAX_LENGTH = 512;

/** Per key index: 0 not computed yet, 1 false, 2 true. */
export type VerdictRecord = number[];

export class FieldVerdicts {
  /** Number of keys registered on this field; each has an index into the records. */
  keys = 0;
  private readonly memo = new StringMemo<VerdictRecord>(SETS, WAYS, VERDICT_MAX_LENGTH);

  constructor(
    /** Slot of this field in the per-event cache. */
    readonly slot: number,
  ) {}

  /** Register one more key on the field; returns its index in the records. */
  addKey(): number {
    return this.keys++;
  }

  /** The record of `raw` (at most VERDICT_MAX_LENGTH long), created empty when unseen. */
  record(raw: string): VerdictRecord {
    let rec = this.memo.get(raw);
    if (rec === undefined) {
      rec = new Array<number>(this.keys).fill(0);
      this.memo.set(raw, rec);
    }
    return rec;
  }
}

const byField = new Map<string, FieldVerdicts>();

/** The verdict table of a field, shared by every compiled filter in the process. */
export function fieldVerdicts(field: string): FieldVerdicts {
  let t = byField.get(field);
  if (t === undefined) {
    t = new FieldVerdicts(byField.size);
    byField.set(field, t);
  }
  return t;
}
