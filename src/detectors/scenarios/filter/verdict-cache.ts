import { sampleHash } from '../../../core/string-memo.js';

/**
 * Remembers the verdicts of the expensive filter keys (decode + pattern list + regexes) per raw
 * field value. Logs repeat the same user agents, referrers and URLs line after line, so most
 * lines skip the decoding and the automaton scans entirely. All costly keys on one field share
 * one record per value, so a line pays one look-up per field, not one per key.
 *
 * A fixed four-way set-associative table bounds memory; an attacker varying every value only
 * turns the cache into misses, which cost what the uncached tests cost.
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
  /** Set-associative table: entries WAYS*i .. WAYS*i+WAYS-1 form set i, most recent first. */
  private readonly values: (string | undefined)[] = new Array<string | undefined>(WAYS * SETS).fill(undefined);
  private readonly records: (VerdictRecord | undefined)[] = new Array<VerdictRecord | undefined>(WAYS * SETS).fill(
    undefined,
  );
  /**
   * Hash of each entry, compared first: two different strings of the same length compare in the
   * V8 runtime (slow for the sliced strings parsers produce), so only a likely hit compares text.
   */
  private readonly hashes = new Int32Array(WAYS * SETS);

  constructor(
    /** Slot of this field in the per-event cache. */
    readonly slot: number,
  ) {}

  /** Register one more key on the field; returns its index in the records. */
  addKey(): number {
    return this.keys++;
  }

  /** The record of `raw`, created empty when unseen. */
  record(raw: string): VerdictRecord {
    const h = sampleHash(raw);
    const base = WAYS * (h & (SETS - 1));
    const values = this.values;
    const records = this.records;
    const hashes = this.hashes;
    let way = 0;
    while (way < WAYS && !(hashes[base + way] === h && values[base + way] === raw)) way++;
    let rec: VerdictRecord;
    if (way < WAYS) {
      rec = records[base + way]!;
      if (way === 0) return rec;
    } else {
      way = WAYS - 1; // miss: the least recent (last) way goes
      rec = new Array<number>(this.keys).fill(0);
    }
    // Move to the front of its set (LRU within the set).
    for (let i = base + way; i > base; i--) {
      values[i] = values[i - 1];
      records[i] = records[i - 1];
      hashes[i] = hashes[i - 1]!;
    }
    values[base] = raw;
    records[base] = rec;
    hashes[base] = h;
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
