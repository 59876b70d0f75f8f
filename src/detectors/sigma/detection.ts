import type { EventView } from './event-view.js';
import { withLeadingStar, withTrailingStar } from './sigma-string.js';
import { compileValue, type FieldKeys, type ScalarTest } from './value-match.js';
import { applyModifiers, ModifierError, type Placeholders, type Val } from './values.js';

export type Search = (view: EventView) => boolean;

export interface DetectionContext {
  readonly fieldKeys: FieldKeys;
  readonly placeholders: Placeholders;
}

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function isScalar(x: unknown): boolean {
  return x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
}

/** Keywords match anywhere in a value unless the rule anchored them (startswith/endswith). */
function keywordVal(v: Val, anchored: boolean): Val {
  if (anchored) return v;
  if (v.k === 'str') return { ...v, s: withTrailingStar(withLeadingStar(v.s)) };
  if (v.k === 'num' || v.k === 'bool') {
    const text = String(v.k === 'num' ? v.n : v.b);
    return {
      k: 'str',
      s: [{ t: 'star' }, { t: 'lit', s: text }, { t: 'star' }],
      bytes: false,
      cased: false,
      original: text,
    };
  }
  if (v.k === 'exp') return { k: 'exp', alts: v.alts.map((a) => keywordVal(a, anchored)) };
  return v;
}

/**
 * A keyword that is a plain case-insensitive substring compiles to that substring (searched
 * in the event's haystack at once); anything else to a test run on each value.
 */
function keywordTest(v: Val, ctx: DetectionContext): ScalarTest | string {
  if (v.k === 'str' && !v.cased && v.s.length === 3) {
    const [a, b, c] = v.s;
    if (a?.t === 'star' && c?.t === 'star' && b?.t === 'lit' && !b.s.includes('\0')) return b.s.toLowerCase();
  }
  return compileValue(v, ctx.fieldKeys);
}

function anyOf(v: unknown, t: ScalarTest, view: EventView): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && x !== undefined && t(x, view)) return true;
    return false;
  }
  return t(v, view);
}

/**
 * One `field|mods: values` entry. Lists are OR (AND with `all`); `null` matches an absent or
 * null field; `exists` looks at presence only; `neq` negates the whole item.
 */
function compileItem(key: string, raw: unknown, ctx: DetectionContext): Search {
  const [field = '', ...mods] = key.split('|');
  const raws = Array.isArray(raw) ? raw : [raw];
  if (raws.length === 0) throw new ModifierError(`"${key}" has an empty value list`);
  for (const r of raws)
    if (!isScalar(r)) throw new ModifierError(`"${key}": values must be strings, numbers, booleans or null`);
  const { values, flags } = applyModifiers(raws, mods, ctx.placeholders);

  if (field === '') {
    // A keyword search with modifiers (`'|all': [...]`): each value against every string.
    const anchored =
      mods.includes('startswith') || mods.includes('endswith') || mods.includes('re') || mods.includes('cidr');
    const tests = values.map((v) => keywordTest(keywordVal(v, anchored), ctx));
    const one = (t: ScalarTest | string, view: EventView): boolean => {
      if (typeof t === 'string') return view.haystack().includes(t);
      for (const s of view.allStrings()) if (t(s, view)) return true;
      return false;
    };
    const f: Search = flags.all
      ? (view) => tests.every((t) => one(t, view))
      : (view) => tests.some((t) => one(t, view));
    return flags.neq ? (view) => !f(view) : f;
  }

  const keys = ctx.fieldKeys(field);
  const exists = values.find((v) => v.k === 'exists');
  if (exists) {
    const want = exists.k === 'exists' && exists.b;
    return (view) => (view.get(keys) !== undefined) === want;
  }
  const wantsNull = values.map((v) => v.k === 'null');
  const tests = values.map((v) => compileValue(v, ctx.fieldKeys));
  const n = tests.length;
  let f: Search;
  if (n === 1) {
    const t = tests[0]!;
    const nul = wantsNull[0]!;
    f = (view) => {
      const v = view.get(keys);
      if (v === undefined || v === null) return nul;
      return !nul && anyOf(v, t, view);
    };
  } else if (flags.all) {
    f = (view) => {
      const v = view.get(keys);
      const absent = v === undefined || v === null;
      for (let i = 0; i < n; i++) {
        if (absent ? !wantsNull[i] : wantsNull[i] || !anyOf(v, tests[i]!, view)) return false;
      }
      return true;
    };
  } else {
    const anyNull = wantsNull.includes(true);
    f = (view) => {
      const v = view.get(keys);
      if (v === undefined || v === null) return anyNull;
      for (let i = 0; i < n; i++) if (!wantsNull[i] && anyOf(v, tests[i]!, view)) return true;
      return false;
    };
  }
  return flags.neq ? (view) => !f(view) : f;
}

function compileMap(m: Record<string, unknown>, ctx: DetectionContext): Search {
  const items = Object.entries(m).map(([k, v]) => compileItem(k, v, ctx));
  if (items.length === 0) throw new ModifierError('a search identifier map is empty');
  if (items.length === 1) return items[0]!;
  return (view) => {
    for (const it of items) if (!it(view)) return false;
    return true;
  };
}

/**
 * Compile one search identifier's definition: a map (AND of items), a list of maps (OR), a
 * list of plain values (keywords, OR) or a single keyword.
 * @throws ModifierError naming what cannot be compiled.
 */
export function compileSearch(def: unknown, ctx: DetectionContext): Search {
  if (isMap(def)) return compileMap(def, ctx);
  if (Array.isArray(def)) {
    if (def.length === 0) throw new ModifierError('a search identifier list is empty');
    const keywords = def.filter((x) => !isMap(x));
    const maps = def.filter(isMap);
    const parts: Search[] = maps.map((m) => compileMap(m, ctx));
    if (keywords.length > 0) {
      if (keywords.some((k) => k === null || !isScalar(k)))
        throw new ModifierError('keyword lists hold strings or numbers');
      parts.push(compileItem('', keywords, ctx));
    }
    if (parts.length === 1) return parts[0]!;
    return (view) => {
      for (const p of parts) if (p(view)) return true;
      return false;
    };
  }
  if (typeof def === 'string' || typeof def === 'number') return compileItem('', [def], ctx);
  throw new ModifierError(`a search identifier must be a map, a list or a keyword, not ${JSON.stringify(def)}`);
}
