import type { CondNode } from './condition.js';
import { expandPattern } from './condition.js';
import { applyModifiers, type Placeholders, type Val } from './values.js';

/**
 * A rule's literal prefilter: lowercased substrings of which at least one must occur in the
 * event (its haystack of all string values) for the rule to possibly match; `null` means no
 * such guarantee. Derived conservatively: `not`, regexes, CIDRs, comparisons, null and
 * `neq` give no literal, so a rule is only ever skipped when it cannot match.
 */
export type Literals = readonly string[] | null;

const MIN_LEN = 3;

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The longest ASCII literal run a value needs, or null. */
function valLiterals(v: Val): Literals {
  if (v.k === 'exp') return union(v.alts.map(valLiterals));
  // Numbers match numerically too ("0x1250" equals 4688): no literal guarantee.
  if (v.k !== 'str') return null;
  let best = '';
  for (const p of v.s) if (p.t === 'lit' && p.s.length > best.length) best = p.s;
  // Non-ASCII lowercases by context (final sigma); NUL is the haystack's separator.
  if (best.length < MIN_LEN || !/^[\x01-\x7f]*$/.test(best)) return null;
  return [best.toLowerCase()];
}

function union(parts: readonly Literals[]): Literals {
  const out = new Set<string>();
  for (const p of parts) {
    if (p === null) return null;
    for (const x of p) out.add(x);
  }
  return [...out];
}

/** The cheapest guarantee among AND-linked parts: fewest, longest literals. */
function best(parts: readonly Literals[]): Literals {
  let pick: Literals = null;
  for (const p of parts) {
    if (p === null) continue;
    if (pick === null || p.length < pick.length || (p.length === pick.length && minLen(p) > minLen(pick))) pick = p;
  }
  return pick;
}

function minLen(l: readonly string[]): number {
  return Math.min(...l.map((x) => x.length));
}

function itemLiterals(key: string, raw: unknown, placeholders: Placeholders): Literals {
  const mods = key.split('|').slice(1);
  const raws = Array.isArray(raw) ? raw : [raw];
  if (raws.length === 0 || raws.some((r) => r === null)) return null;
  const { values, flags } = applyModifiers(raws, mods, placeholders);
  if (flags.neq) return null;
  const lits = values.map(valLiterals);
  return flags.all ? best(lits) : union(lits);
}

function mapLiterals(m: Record<string, unknown>, placeholders: Placeholders): Literals {
  return best(Object.entries(m).map(([k, v]) => itemLiterals(k, v, placeholders)));
}

/** Literals for one search identifier (same shapes as `compileSearch`). */
export function searchLiterals(def: unknown, placeholders: Placeholders): Literals {
  try {
    if (isMap(def)) return mapLiterals(def, placeholders);
    if (Array.isArray(def)) {
      const maps = def.filter(isMap).map((m) => mapLiterals(m, placeholders));
      const keywords = def.filter((x) => !isMap(x));
      if (keywords.length > 0) maps.push(itemLiterals('', keywords, placeholders));
      return union(maps);
    }
    if (typeof def === 'string' || typeof def === 'number') return itemLiterals('', [def], placeholders);
  } catch {
    // The rule compiler reports the problem; no prefilter for it.
  }
  return null;
}

/** Literals for a condition from its search identifiers' literals. */
export function conditionLiterals(node: CondNode, searches: ReadonlyMap<string, Literals>): Literals {
  const names = [...searches.keys()];
  switch (node.t) {
    case 'id':
      return searches.get(node.name) ?? null;
    case 'not':
      return null;
    case 'and':
      return best(node.args.map((a) => conditionLiterals(a, searches)));
    case 'or':
      return union(node.args.map((a) => conditionLiterals(a, searches)));
    case 'of': {
      const parts = expandPattern(node.pattern, names).map((n) => searches.get(n) ?? null);
      if (parts.length === 0) return null;
      return node.quant === 'all' ? best(parts) : union(parts);
    }
  }
}
