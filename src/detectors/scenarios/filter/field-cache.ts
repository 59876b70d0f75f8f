import type { EcsEvent, EventValue } from '../../../core/event.js';
import type { VerdictRecord } from './verdict-cache.js';

/**
 * Per-event cache of transformed field values (`url.original|normalize`...) and of the verdict
 * record of each field's raw value, shared by every scenario that reads them: decoding a URL
 * once per line instead of once per scenario. Each distinct `field|transforms` gets a slot
 * number at compile time; the cache is reused across events by bumping an epoch, so starting a
 * new event allocates nothing.
 */
const slots = new Map<string, number>();

/** Slot of a `field|transform...` key, stable for the life of the process. */
export function cacheSlot(key: string): number {
  let s = slots.get(key);
  if (s === undefined) {
    s = slots.size;
    slots.set(key, s);
  }
  return s;
}

export class FieldCache {
  private epoch = 1;
  private event: EcsEvent | undefined = undefined;
  private stamps: number[] = [];
  private vals: string[] = [];
  private rawStamps: number[] = [];
  private raws: (EventValue | undefined)[] = [];
  private recStamps: number[] = [];
  private recs: (VerdictRecord | undefined)[] = [];

  /** Forget every value: the next event starts empty. */
  reset(): void {
    this.epoch++;
  }

  /** Serve `event`: a different event object than the last one empties the cache. */
  use(event: EcsEvent): this {
    if (event !== this.event) {
      this.event = event;
      this.epoch++;
    }
    return this;
  }

  /**
   * The raw value of a field, read once per event: events come in many shapes, which makes
   * every property read a slow megamorphic look-up, so each field is read only once.
   */
  raw(slot: number, field: string): EventValue | undefined {
    if (this.rawStamps[slot] === this.epoch) return this.raws[slot];
    const v = this.event![field];
    while (this.rawStamps.length <= slot) {
      this.rawStamps.push(0);
      this.raws.push(undefined);
    }
    this.rawStamps[slot] = this.epoch;
    this.raws[slot] = v;
    return v;
  }

  get(slot: number): string | undefined {
    return this.stamps[slot] === this.epoch ? this.vals[slot] : undefined;
  }

  set(slot: number, v: string): void {
    while (this.stamps.length <= slot) {
      this.stamps.push(0);
      this.vals.push('');
    }
    this.stamps[slot] = this.epoch;
    this.vals[slot] = v;
  }

  record(slot: number): VerdictRecord | undefined {
    return this.recStamps[slot] === this.epoch ? this.recs[slot] : undefined;
  }

  setRecord(slot: number, rec: VerdictRecord): void {
    while (this.recStamps.length <= slot) {
      this.recStamps.push(0);
      this.recs.push(undefined);
    }
    this.recStamps[slot] = this.epoch;
    this.recs[slot] = rec;
  }
}

/**
 * A holder in dictionary mode (a property was deleted). Adding a key to a plain `{}` would
 * create a hidden class per distinct key, and every one hangs off the empty object's transition
 * tree: thousands of addresses made each call cost microseconds.
 */
const internHolder: Record<string, number> = { x: 0 };
delete internHolder.x;

/**
 * The same text as an internalized string. Field names cut out of rule files (`split`, YAML)
 * can be sliced strings; V8 must look such a property key up in its string table (and may
 * allocate) on every event, where an internalized key is a pointer comparison. Property keys
 * are internalized, so the holder's only key is the internalized copy.
 */
export function internField(name: string): string {
  internHolder[name] = 0;
  let out = name;
  for (const key in internHolder) {
    out = key;
    break;
  }
  delete internHolder[name];
  return out;
}
