import {
  hasSpecial,
  literal,
  mapLiterals,
  type Part,
  parseSigmaString,
  plainText,
  type SigmaString,
  withLeadingStar,
  withTrailingStar,
} from './sigma-string.js';

/**
 * A rule value while its modifiers are applied (pySigma's model, so chains behave as the
 * reference implementation does): each modifier maps every value, and expansions
 * (`base64offset`, `windash`, placeholder lists) become OR groups that `all` keeps together.
 */
export type Val =
  | {
      readonly k: 'str';
      readonly s: SigmaString;
      /** Characters are bytes (after wide/utf16 or base64 input): base64 encodes char codes. */
      readonly bytes: boolean;
      readonly cased: boolean;
      /** Text as written, for `re` (which must be the first modifier). */
      readonly original: string;
    }
  | { readonly k: 'num'; readonly n: number }
  | { readonly k: 'bool'; readonly b: boolean }
  | { readonly k: 'null' }
  | {
      readonly k: 're';
      readonly src: string;
      readonly flags: string;
      readonly anchorStart: boolean;
      readonly anchorEnd: boolean;
    }
  | { readonly k: 'cidr'; readonly cidr: string }
  | { readonly k: 'cmp'; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly n: number }
  | { readonly k: 'exists'; readonly b: boolean }
  | { readonly k: 'fieldref'; readonly field: string; readonly start: boolean; readonly end: boolean }
  | { readonly k: 'time'; readonly unit: TimeUnit; readonly n: number }
  | { readonly k: 'exp'; readonly alts: readonly Val[] };

export type TimeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** Item-level effects of modifiers (they change how values link, not the values). */
export interface ItemFlags {
  all: boolean;
  neq: boolean;
}

export class ModifierError extends Error {}

/** Placeholder values for `|expand` (`%name%` → any of the listed values). */
export type Placeholders = Readonly<Record<string, readonly string[]>>;

/** Turn a YAML scalar into a value before modifiers. */
export function initialVal(raw: unknown): Val {
  if (raw === null || raw === undefined) return { k: 'null' };
  if (typeof raw === 'number') return { k: 'num', n: raw };
  if (typeof raw === 'boolean') return { k: 'bool', b: raw };
  if (typeof raw === 'string') return { k: 'str', s: parseSigmaString(raw), bytes: false, cased: false, original: raw };
  throw new ModifierError(`a value must be a string, number, boolean or null, not ${JSON.stringify(raw)}`);
}

function asStr(v: Val, mod: string): Extract<Val, { k: 'str' }> {
  if (v.k === 'str') return v;
  if (v.k === 'num' || v.k === 'bool') {
    const text = String(v.k === 'num' ? v.n : v.b);
    return { k: 'str', s: literal(text), bytes: false, cased: false, original: text };
  }
  throw new ModifierError(`modifier ${mod} cannot apply to a ${kindName(v)} value`);
}

function kindName(v: Val): string {
  const names: Record<Val['k'], string> = {
    str: 'string',
    num: 'number',
    bool: 'boolean',
    null: 'null',
    re: 'regular expression',
    cidr: 'CIDR',
    cmp: 'comparison',
    exists: 'exists',
    fieldref: 'field reference',
    time: 'timestamp part',
    exp: 'expansion',
  };
  return names[v.k];
}

function asNumber(v: Val, mod: string): number {
  if (v.k === 'num') return v.n;
  if (v.k === 'str' && !hasSpecial(v.s)) {
    const t = plainText(v.s).trim();
    const n = Number(t);
    if (t !== '' && Number.isFinite(n)) return n;
  }
  throw new ModifierError(`modifier ${mod} needs a number, got ${kindName(v)} ${JSON.stringify(showVal(v))}`);
}

function showVal(v: Val): string {
  return v.k === 'str' ? v.original : v.k === 'num' ? String(v.n) : kindName(v);
}

/** UTF-8 bytes as a byte string (one char per byte). */
function utf8Bytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

function toBytes(v: Extract<Val, { k: 'str' }>, mod: string): string {
  if (hasSpecial(v.s)) throw new ModifierError(`${mod} encoding of a value with wildcards is not allowed`);
  const text = plainText(v.s);
  return v.bytes ? text : utf8Bytes(text);
}

function utf16(s: string, be: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lo = String.fromCharCode(c & 0xff);
    const hi = String.fromCharCode(c >> 8);
    out += be ? hi + lo : lo + hi;
  }
  return out;
}

const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'];
const WORD = /[\p{L}\p{N}_]/u;

/**
 * `windash`: a `-` or `/` that starts a word after a non-word character (Python's `\B[-/]\b`)
 * may be written with any of the five dash characters.
 */
function windash(s: SigmaString): SigmaString {
  const out: Part[] = [];
  for (let pi = 0; pi < s.length; pi++) {
    const p = s[pi]!;
    if (p.t !== 'lit') {
      out.push(p);
      continue;
    }
    let acc = '';
    for (let i = 0; i < p.s.length; i++) {
      const c = p.s[i]!;
      // Characters beside the part boundary: a wildcard is not a word character.
      const prev = i > 0 ? p.s[i - 1]! : '';
      const next = i + 1 < p.s.length ? p.s[i + 1]! : '';
      const prevWord = prev !== '' && WORD.test(prev);
      const nextWord = next !== '' && WORD.test(next);
      if ((c === '-' || c === '/') && !prevWord && nextWord) {
        if (acc !== '') out.push({ t: 'lit', s: acc });
        acc = '';
        out.push({ t: 'class', chars: WINDASH_CHARS });
      } else acc += c;
    }
    if (acc !== '') out.push({ t: 'lit', s: acc });
  }
  return out;
}

function b64(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('base64');
}

/** base64offset: the three encodings of the value at byte offsets 0, 1 and 2, trimmed. */
function base64Offsets(bytes: string): string[] {
  const start = [0, 2, 3];
  const end = [undefined, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = b64(' '.repeat(i) + bytes);
    out.push(enc.slice(start[i], end[(bytes.length + i) % 3]));
  }
  return out;
}

function strVal(text: string): Val {
  return { k: 'str', s: literal(text), bytes: false, cased: false, original: text };
}

/**
 * Replace `%name%` placeholders (unless escaped as `\\%`) with the configured alternatives.
 * A placeholder value is itself a Sigma string, so it may carry wildcards (`srv*`).
 */
function expand(v: Extract<Val, { k: 'str' }>, placeholders: Placeholders): Val {
  let alts: Part[][] = [[]];
  const add = (ps: SigmaString): void => {
    alts = alts.map((a) => [...a, ...ps]);
  };
  for (const p of v.s) {
    if (p.t !== 'lit') {
      add([p]);
      continue;
    }
    const text = p.s;
    let acc = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\' && text[i + 1] === '%') {
        acc += '%';
        i++;
        continue;
      }
      const m = c === '%' ? /^%([\w.-]+)%/.exec(text.slice(i)) : null;
      if (!m) {
        acc += c;
        continue;
      }
      const name = m[1]!;
      const values = placeholders[name];
      if (!values || values.length === 0)
        throw new ModifierError(`placeholder %${name}% has no configured values (set sigma.placeholders.${name})`);
      add(literal(acc));
      acc = '';
      const before = alts;
      alts = values.flatMap((x) => before.map((a) => [...a, ...parseSigmaString(x)]));
      i += m[0].length - 1;
    }
    add(literal(acc));
  }
  const vals = alts.map((a): Val => ({ ...v, s: mergeLits(a) }));
  return vals.length === 1 ? vals[0]! : { k: 'exp', alts: vals };
}

function mergeLits(ps: readonly Part[]): SigmaString {
  return mapLiterals(ps, (t) => t);
}

export const KNOWN_MODIFIERS = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'wide',
  'utf16le',
  'utf16be',
  'utf16',
  'windash',
  're',
  'i',
  'ignorecase',
  'm',
  'multiline',
  's',
  'dotall',
  'cidr',
  'cased',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
  'neq',
  'fieldref',
  'expand',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
] as const;

/** Apply one modifier to one value (expansions are mapped element by element). */
function applyOne(v: Val, mod: string, applied: readonly string[], placeholders: Placeholders): Val {
  if (v.k === 'exp') return { k: 'exp', alts: v.alts.map((a) => applyOne(a, mod, applied, placeholders)) };
  switch (mod) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (v.k === 're') {
        return {
          ...v,
          anchorStart: mod === 'startswith' ? true : mod === 'contains' ? false : v.anchorStart,
          anchorEnd: mod === 'endswith' ? true : mod === 'contains' ? false : v.anchorEnd,
        };
      }
      if (v.k === 'fieldref') {
        return { ...v, start: v.start || mod !== 'endswith', end: v.end || mod !== 'startswith' };
      }
      const s = asStr(v, mod);
      const lead = mod === 'contains' || mod === 'endswith';
      const trail = mod === 'contains' || mod === 'startswith';
      let parts = s.s;
      if (lead) parts = withLeadingStar(parts);
      if (trail) parts = withTrailingStar(parts);
      return { ...s, s: parts };
    }
    case 'base64': {
      const s = asStr(v, mod);
      return strVal(b64(toBytes(s, mod)));
    }
    case 'base64offset': {
      const s = asStr(v, mod);
      return { k: 'exp', alts: base64Offsets(toBytes(s, mod)).map(strVal) };
    }
    case 'wide':
    case 'utf16le':
    case 'utf16be':
    case 'utf16': {
      const s = asStr(v, mod);
      const be = mod === 'utf16be';
      const body = mapLiterals(s.s, (t) => utf16(t, be));
      const parts: SigmaString = mod === 'utf16' ? [{ t: 'lit', s: '\xff\xfe' }, ...body] : body;
      return { ...s, s: mergeLits(parts), bytes: true };
    }
    case 'windash': {
      const s = asStr(v, mod);
      return { ...s, s: windash(s.s) };
    }
    case 're': {
      if (applied.length > 0) throw new ModifierError('re must be the first modifier of a value');
      const s = asStr(v, mod);
      return { k: 're', src: s.original, flags: '', anchorStart: false, anchorEnd: false };
    }
    case 'i':
    case 'ignorecase':
    case 'm':
    case 'multiline':
    case 's':
    case 'dotall': {
      if (v.k !== 're') throw new ModifierError(`modifier ${mod} only applies after re`);
      const flag = mod[0] === 'd' ? 's' : mod[0]!;
      return { ...v, flags: v.flags.includes(flag) ? v.flags : v.flags + flag };
    }
    case 'cidr': {
      if (applied.length > 0) throw new ModifierError('cidr must be the first modifier of a value');
      return { k: 'cidr', cidr: plainText(asStr(v, mod).s).trim() };
    }
    case 'cased': {
      const s = asStr(v, mod);
      return { ...s, cased: true };
    }
    case 'exists': {
      if (v.k !== 'bool') throw new ModifierError('exists needs true or false');
      return { k: 'exists', b: v.b };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { k: 'cmp', op: mod, n: asNumber(v, mod) };
    case 'fieldref': {
      const s = asStr(v, mod);
      if (hasSpecial(s.s)) throw new ModifierError('a field reference must not contain wildcards');
      return { k: 'fieldref', field: plainText(s.s), start: false, end: false };
    }
    case 'expand':
      return expand(asStr(v, mod), placeholders);
    case 'minute':
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
    case 'year':
      return { k: 'time', unit: mod, n: asNumber(v, mod) };
    default:
      throw new ModifierError(`unknown modifier "${mod}"; known: ${KNOWN_MODIFIERS.join(', ')}`);
  }
}

/**
 * Apply a modifier chain to the values of one detection item, in order.
 * @returns the values and the item flags (`all`, `neq`).
 */
export function applyModifiers(
  raws: readonly unknown[],
  mods: readonly string[],
  placeholders: Placeholders,
): { values: Val[]; flags: ItemFlags } {
  const flags: ItemFlags = { all: false, neq: false };
  let values = raws.map(initialVal);
  const applied: string[] = [];
  for (const mod of mods) {
    if (mod === 'all') flags.all = true;
    else if (mod === 'neq') flags.neq = true;
    else values = values.map((v) => (v.k === 'null' ? v : applyOne(v, mod, applied, placeholders)));
    applied.push(mod);
  }
  return { values, flags };
}
