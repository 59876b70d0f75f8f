import type { EcsEvent } from '../../core/event.js';
import { fieldString } from '../../core/event.js';
import { internField } from './filter/field-cache.js';

/** Values remembered per field and generation; two generations bound the memory. */
const INTERN_CAP = 16_384;

/**
 * Canonical string objects for the values of one field. Every event brings a fresh copy of the
 * same address or user name; comparing a fresh copy with the key stored in a bucket map costs a
 * character-by-character comparison in the V8 runtime, while the canonical object compares by
 * pointer. One look-up here per event replaces one slow comparison per scenario. Forgetting a
 * value (generation turnover) only makes later comparisons slower, never wrong.
 *
 * The canonical copy is the first one seen, not an internalized copy: high-cardinality fields
 * (URLs, user agents) would pay a string-table insertion per new value.
 */
class Intern {
  private cur = new Map<string, string>();
  private old = new Map<string, string>();

  /** The last value asked for and its canonical copy: consecutive lines often share a value. */
  private lastIn = '';
  private lastOut = '';

  of(v: string): string {
    if (v === this.lastIn) return this.lastOut;
    const c = this.lookup(v);
    this.lastIn = v;
    this.lastOut = c;
    return c;
  }

  private lookup(v: string): string {
    let c = this.cur.get(v);
    if (c !== undefined) return c;
    c = this.old.get(v) ?? v;
    if (this.cur.size >= INTERN_CAP) {
      this.old = this.cur;
      this.cur = new Map();
    }
    this.cur.set(c, c);
    return c;
  }
}

/**
 * The string values of the fields the engine reads for grouping, distinct values, entities and
 * explanations, read once per event (events of many shapes make each property read a slow
 * megamorphic look-up) and canonicalized. Fields are registered up front and read by slot.
 */
export class EventFields {
  private readonly names: string[] = [];
  private readonly interns: Intern[] = [];
  private readonly slots = new Map<string, number>();
  private stamps: number[] = [];
  private vals: (string | undefined)[] = [];
  private epoch = 1;
  private event: EcsEvent | undefined;

  /** Slot of a field, registering it on first use. */
  slot(field: string): number {
    let s = this.slots.get(field);
    if (s === undefined) {
      s = this.names.length;
      this.slots.set(field, s);
      this.names.push(internField(field));
      this.interns.push(new Intern());
      this.stamps.push(0);
      this.vals.push(undefined);
    }
    return s;
  }

  /** Start a new event: every slot is read again on demand. */
  reset(event: EcsEvent): void {
    this.event = event;
    this.epoch++;
  }

  /** The field's value as a string (numbers stringified), canonical; undefined when absent. */
  get(slot: number): string | undefined {
    if (this.stamps[slot] === this.epoch) return this.vals[slot];
    const raw = fieldString(this.event!, this.names[slot]!);
    const v = raw === undefined || raw === '' ? raw : this.interns[slot]!.of(raw);
    this.stamps[slot] = this.epoch;
    this.vals[slot] = v;
    return v;
  }
}
