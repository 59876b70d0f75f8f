/**
 * Group keys to small integer slots, shared by every scenario of an engine. An ssh failure runs
 * about eight scenarios, six of them grouped by the same `source.ip`: with a map per scenario
 * (buckets, blackholes) a line cost some sixteen hash look-ups, the engine's largest cost. With
 * one table the key is looked up once per line and each scenario reads its bucket and
 * blackhole from arrays indexed by the slot.
 *
 * A slot lives while some scenario holds a bucket or a blackhole on it (`hold`/`drop` count
 * them). A slot nobody holds keeps its key until `collect` (the engine's sweep), so a key that
 * drains and comes back within a sweep period does not churn the map; after that the slot is
 * recycled. Invariant: a slot with holders is never recycled, so an array entry indexed by a
 * held slot always belongs to that slot's key.
 */
export class KeyTable {
  private readonly slots = new Map<string, number>();
  /** Key of each slot ('' when free). */
  private keys: string[] = [];
  /** Holders of each slot. */
  private refs: Int32Array = new Int32Array(64);
  /** Slots whose count fell to zero since the last `collect` (may have been held again since). */
  private idle: number[] = [];
  /** Whether a slot is in `idle` (no duplicates). */
  private idleMark: Uint8Array = new Uint8Array(64);
  private free: number[] = [];

  /** Slots ever handed out: array indexed by slot never need to be longer. */
  get capacity(): number {
    return this.keys.length;
  }

  /** Keys with a slot, held or not yet collected. */
  get size(): number {
    return this.slots.size;
  }

  /** Slot of `key`, or -1 when it has none. */
  find(key: string): number {
    const s = this.slots.get(key);
    return s === undefined ? -1 : s;
  }

  /** Slot of `key`, given one when it has none (not held: call `hold`). */
  slotOf(key: string): number {
    let s = this.slots.get(key);
    if (s !== undefined) return s;
    s = this.free.pop();
    if (s === undefined) {
      s = this.keys.length;
      this.keys.push(key);
      if (s >= this.refs.length) {
        this.refs = grownInt32(this.refs, 2 * this.refs.length);
        const mark = new Uint8Array(this.refs.length);
        mark.set(this.idleMark);
        this.idleMark = mark;
      }
    } else this.keys[s] = key;
    this.slots.set(key, s);
    // Not held yet: the next `collect` frees it if no scenario takes it.
    this.markIdle(s);
    return s;
  }

  keyAt(slot: number): string {
    return this.keys[slot]!;
  }

  hold(slot: number): void {
    this.refs[slot]!++;
  }

  drop(slot: number): void {
    if (--this.refs[slot]! === 0) this.markIdle(slot);
  }

  /** Free the slots nobody holds: their keys leave the map, their numbers are reused. */
  collect(): void {
    const idle = this.idle;
    for (let i = 0; i < idle.length; i++) {
      const s = idle[i]!;
      this.idleMark[s] = 0;
      if (this.refs[s] !== 0) continue;
      this.slots.delete(this.keys[s]!);
      this.keys[s] = '';
      this.free.push(s);
    }
    idle.length = 0;
  }

  /** Forget every key (a restore replaces all state). */
  clear(): void {
    this.slots.clear();
    this.keys = [];
    this.refs = new Int32Array(64);
    this.idle = [];
    this.idleMark = new Uint8Array(64);
    this.free = [];
  }

  private markIdle(s: number): void {
    if (this.idleMark[s] === 1) return;
    this.idleMark[s] = 1;
    this.idle.push(s);
  }
}

function grownInt32(a: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}
