/**
 * Value transforms applied before matching. Attackers encode payloads (`%252e%252e%252f`,
 * `&lt;script`, `UNION/**\/SELECT`) precisely so that a literal match misses them; decoding to a
 * fixed point first means one list of plain patterns covers every encoding layer.
 */
export type TransformName = 'urldecode' | 'htmldecode' | 'lower' | 'normalize';

export const TRANSFORMS: readonly TransformName[] = ['urldecode', 'htmldecode', 'lower', 'normalize'];

const MAX_ROUNDS = 5;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** One round of lenient percent-decoding: bad escapes stay as they are, bytes decode as UTF-8. */
function urlDecodeOnce(s: string): string {
  const q = s.indexOf('?');
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const h = hexValue(s.charCodeAt(i + 1));
      const l = hexValue(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        bytes.push(h * 16 + l);
        i += 2;
        continue;
      }
    }
    // `+` is a space only in the query string (application/x-www-form-urlencoded).
    if (c === 43 && q >= 0 && i > q) {
      bytes.push(32);
      continue;
    }
    if (c < 0x80) bytes.push(c);
    else {
      const end = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? i + 2 : i + 1;
      for (const b of Buffer.from(s.slice(i, end), 'utf8')) bytes.push(b);
      i = end - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Decode repeatedly until stable (double and triple encoding), at most 5 rounds. */
export function urlDecode(s: string): string {
  let cur = s;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (cur.indexOf('%') < 0 && (cur.indexOf('+') < 0 || cur.indexOf('?') < 0)) return cur;
    const next = urlDecodeOnce(cur);
    if (next === cur) return cur;
    cur = next;
  }
  return cur;
}

const NAMED: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  sol: '/',
  bsol: '\\',
  colon: ':',
  lpar: '(',
  rpar: ')',
  semi: ';',
  equals: '=',
  num: '#',
  tab: '\t',
  newline: '\n',
};

/**
 * Named entities a browser also decodes without the `;` (HTML's legacy set, as far as NAMED
 * holds it). Any other name needs its `;`: a query such as `?page=2&num=5` is not `#=5`.
 */
const LEGACY = new Set(['lt', 'gt', 'amp', 'quot', 'nbsp']);

const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8})(;?)/g;

function htmlDecodeOnce(s: string): string {
  return s.replace(ENTITY, (all, body: string, semi: string) => {
    if (body.charCodeAt(0) === 35) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    const name = body.toLowerCase();
    if (semi === '' && !LEGACY.has(name)) return all;
    return NAMED[name] ?? all;
  });
}

/** Decode HTML entities (named, decimal, hex), repeated until stable, at most 5 rounds. */
export function htmlDecode(s: string): string {
  let cur = s;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (cur.indexOf('&') < 0) return cur;
    const next = htmlDecodeOnce(cur);
    if (next === cur) return cur;
    cur = next;
  }
  return cur;
}

const SQL_COMMENT = /\/\*.*?\*\//g;
const SPACES = /\s+/g;
const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/**
 * True when `normalize(s) === s`, found in one scan without allocating: most URLs and user
 * agents hold no escape, no upper case, no comment and no whitespace run. Anything unusual
 * (`%`, `&`, `+`, upper case, non-ASCII, control whitespace, double space, `/*`) takes the
 * full path.
 */
function isNormalized(s: string): boolean {
  let prev = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 37 || c === 38 || c === 43 || (c >= 65 && c <= 90) || (c >= 9 && c <= 13)) return false;
    if ((c === 32 && prev === 32) || (c === 42 && prev === 47)) return false;
    prev = c;
  }
  return true;
}

/**
 * urldecode + htmldecode + lower, SQL inline comments (`UNION/**\/SELECT`) turned into a space and
 * whitespace runs collapsed, so `union%20%20/**\/select` and `UNION SELECT` compare equal.
 */
export function normalize(s: string): string {
  if (isNormalized(s)) return s;
  let cur = htmlDecode(urlDecode(s)).toLowerCase();
  if (cur.indexOf('/*') >= 0) cur = cur.replace(SQL_COMMENT, ' ');
  return NEEDS_COLLAPSE.test(cur) ? cur.replace(SPACES, ' ') : cur;
}

export function applyTransform(name: TransformName, s: string): string {
  switch (name) {
    case 'urldecode':
      return urlDecode(s);
    case 'htmldecode':
      return htmlDecode(s);
    case 'lower':
      return s.toLowerCase();
    case 'normalize':
      return normalize(s);
  }
}
