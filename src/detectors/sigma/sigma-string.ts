/**
 * A Sigma string value as parts: literal text and the wildcards `*` (any run, newlines too)
 * and `?` (one character), plus character classes that `windash` introduces. Parsing follows
 * the specification's escaping: `\*`, `\?` and `\\` are the literal characters; a backslash
 * before anything else is itself literal (`C:\Windows` and `C:\\Windows` are the same value).
 */
export type Part =
  | { readonly t: 'lit'; readonly s: string }
  | { readonly t: 'star' }
  | { readonly t: 'one' }
  | { readonly t: 'class'; readonly chars: readonly string[] };

export type SigmaString = readonly Part[];

const STAR: Part = { t: 'star' };
const ONE: Part = { t: 'one' };

/** Append text to the parts, merging with a trailing literal. */
function pushLit(out: Part[], s: string): void {
  if (s === '') return;
  const last = out[out.length - 1];
  if (last?.t === 'lit') out[out.length - 1] = { t: 'lit', s: last.s + s };
  else out.push({ t: 'lit', s });
}

/**
 * Parse a rule value into parts.
 * @example parseSigmaString('*\\cmd.exe') // [{t:'star'}, {t:'lit', s:'\\cmd.exe'}]
 */
export function parseSigmaString(text: string): SigmaString {
  const out: Part[] = [];
  let acc = '';
  let escaped = false;
  for (const c of text) {
    if (escaped) {
      acc += c === '*' || c === '?' || c === '\\' ? c : `\\${c}`;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (c === '*' || c === '?') {
      pushLit(out, acc);
      acc = '';
      out.push(c === '*' ? STAR : ONE);
    } else acc += c;
  }
  if (escaped) acc += '\\';
  pushLit(out, acc);
  return out;
}

/** A value made only of literal text (no wildcards). */
export function literal(s: string): SigmaString {
  return s === '' ? [] : [{ t: 'lit', s }];
}

export function hasSpecial(v: SigmaString): boolean {
  return v.some((p) => p.t !== 'lit');
}

/** The literal text of a value without wildcards (callers check `hasSpecial` first). */
export function plainText(v: SigmaString): string {
  return v.map((p) => (p.t === 'lit' ? p.s : '')).join('');
}

export function startsWithStar(v: SigmaString): boolean {
  return v[0]?.t === 'star';
}

export function endsWithStar(v: SigmaString): boolean {
  return v[v.length - 1]?.t === 'star';
}

export function withLeadingStar(v: SigmaString): SigmaString {
  return startsWithStar(v) ? v : [STAR, ...v];
}

export function withTrailingStar(v: SigmaString): SigmaString {
  return endsWithStar(v) ? v : [...v, STAR];
}

/** Map each literal part through `f`, keeping wildcards in place. */
export function mapLiterals(v: SigmaString, f: (s: string) => string): SigmaString {
  const out: Part[] = [];
  for (const p of v) {
    if (p.t === 'lit') pushLit(out, f(p.s));
    else out.push(p);
  }
  return out;
}

/** Printable form for messages and listings (wildcards shown as written). */
export function showSigmaString(v: SigmaString): string {
  return v
    .map((p) => {
      if (p.t === 'lit') return p.s.replace(/[\\*?]/g, (c) => `\\${c}`);
      if (p.t === 'star') return '*';
      if (p.t === 'one') return '?';
      return `[${p.chars.join('')}]`;
    })
    .join('');
}
