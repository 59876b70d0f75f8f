/**
 * One event as the Sigma matchers see it: a flat record of dotted field names (ECS events
 * are already flat; nested JSON is flattened before), with per-event caches so a hundred
 * rules reading `process.command_line` lowercase it once.
 */
export type FlatRecord = Readonly<Record<string, unknown>>;

export class EventView {
  private readonly lowered = new Map<string, string>();
  private strings: string[] | undefined;
  private hay: string | undefined;

  constructor(readonly rec: FlatRecord) {}

  /** The first present value among a field's candidate keys (`undefined` when none is present). */
  get(keys: readonly string[]): unknown {
    for (let i = 0; i < keys.length; i++) {
      const v = this.rec[keys[i]!];
      if (v !== undefined) return v;
    }
    return undefined;
  }

  lower(s: string): string {
    let l = this.lowered.get(s);
    if (l === undefined) {
      l = s.toLowerCase();
      this.lowered.set(s, l);
    }
    return l;
  }

  /** Every string, number and boolean value of the event (as text), for keyword searches. */
  allStrings(): readonly string[] {
    if (this.strings) return this.strings;
    const out: string[] = [];
    for (const k in this.rec) {
      const v = this.rec[k];
      if (typeof v === 'string') out.push(v);
      else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
      else if (Array.isArray(v))
        for (const x of v) {
          if (typeof x === 'string') out.push(x);
          else if (typeof x === 'number' || typeof x === 'boolean') out.push(String(x));
        }
    }
    this.strings = out;
    return out;
  }

  /**
   * Every string value lowercased and joined with NUL: one `includes` answers a plain
   * case-insensitive keyword for the whole event (keywords without NUL cannot span values).
   */
  haystack(): string {
    this.hay ??= this.allStrings().join('\0').toLowerCase();
    return this.hay;
  }
}
