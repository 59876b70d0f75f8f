/**
 * The parts of libnftables' JSON schema (`nft -j list ...`, schema version 1) Leuko reads.
 * Only what we use is typed; everything else stays `unknown` so a newer nft cannot make a
 * parse crash, only a field go missing.
 */

/** A set element value: an address, a prefix, an explicit range, or a concatenation etc. */
export type NftValue =
  | string
  | number
  | { readonly prefix: { readonly addr: string; readonly len: number } }
  | { readonly range: readonly [NftValue, NftValue] }
  | Readonly<Record<string, unknown>>;

export interface NftCounter {
  readonly packets: number;
  readonly bytes: number;
}

/** One element as listed. Plain values appear bare; values with attributes are wrapped. */
export interface NftElement {
  readonly val: NftValue;
  /** Seconds, as configured. Absent when the element has no timeout (permanent). */
  readonly timeout?: number;
  /** Seconds left before the kernel removes the element. */
  readonly expires?: number;
  readonly counter?: NftCounter;
}

export interface NftTable {
  readonly family: string;
  readonly name: string;
  readonly handle?: number;
}

export interface NftSet {
  readonly family: string;
  readonly table: string;
  readonly name: string;
  readonly type: string | readonly string[];
  readonly flags?: readonly string[];
  readonly elem?: readonly NftElement[];
  readonly handle?: number;
}

export interface NftChain {
  readonly family: string;
  readonly table: string;
  readonly name: string;
  readonly type?: string;
  readonly hook?: string;
  readonly prio?: number;
  readonly policy?: string;
  readonly handle?: number;
}

export interface NftRule {
  readonly family: string;
  readonly table: string;
  readonly chain: string;
  readonly handle?: number;
  readonly expr: readonly Readonly<Record<string, unknown>>[];
}

/** What one `nft -j list` returned, grouped by kind, in listing order. */
export interface NftListing {
  readonly tables: readonly NftTable[];
  readonly sets: readonly NftSet[];
  readonly chains: readonly NftChain[];
  readonly rules: readonly NftRule[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Elements are either bare values or `{ elem: { val, timeout, expires, counter } }`. */
function toElement(raw: unknown): NftElement {
  if (isObject(raw) && isObject(raw['elem'])) {
    const e = raw['elem'];
    const out: { val: NftValue; timeout?: number; expires?: number; counter?: NftCounter } = {
      val: e['val'] as NftValue,
    };
    if (typeof e['timeout'] === 'number') out.timeout = e['timeout'];
    if (typeof e['expires'] === 'number') out.expires = e['expires'];
    const c = e['counter'];
    if (isObject(c) && typeof c['packets'] === 'number' && typeof c['bytes'] === 'number') {
      out.counter = { packets: c['packets'], bytes: c['bytes'] };
    }
    return out;
  }
  return { val: raw as NftValue };
}

/**
 * Parse `nft -j` output into typed groups. Unknown object kinds (maps, flowtables, ...) are
 * ignored. Throws SyntaxError only if the text is not JSON at all.
 */
export function parseNftJson(text: string): NftListing {
  const tables: NftTable[] = [];
  const sets: NftSet[] = [];
  const chains: NftChain[] = [];
  const rules: NftRule[] = [];
  const trimmed = text.trim();
  if (trimmed === '') return { tables, sets, chains, rules };
  const doc: unknown = JSON.parse(trimmed);
  const items = isObject(doc) && Array.isArray(doc['nftables']) ? (doc['nftables'] as unknown[]) : [];
  for (const item of items) {
    if (!isObject(item)) continue;
    if (isObject(item['table'])) tables.push(item['table'] as unknown as NftTable);
    else if (isObject(item['chain'])) chains.push(item['chain'] as unknown as NftChain);
    else if (isObject(item['rule'])) {
      const r = item['rule'];
      rules.push({ ...(r as unknown as NftRule), expr: Array.isArray(r['expr']) ? r['expr'] : [] });
    } else if (isObject(item['set'])) {
      const s = item['set'];
      const elem = Array.isArray(s['elem']) ? s['elem'].map(toElement) : undefined;
      const set = { ...(s as unknown as NftSet) } as { -readonly [K in keyof NftSet]: NftSet[K] };
      if (elem) set.elem = elem;
      else delete set.elem;
      sets.push(set);
    }
  }
  return { tables, sets, chains, rules };
}
