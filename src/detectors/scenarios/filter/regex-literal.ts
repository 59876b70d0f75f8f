import { createMultiMatcher } from './aho-corasick.js';

/**
 * A literal prefilter for lists of regular expressions (an exploit signature list runs dozens
 * on every URL). Most regexes require some literal text (`/tmui/`, `class.module.classloader`):
 * one Aho-Corasick pass over the value tells whether any of those literals occurs at all, and
 * when none does (nearly every clean URL) only the regexes without one run.
 */

/** Escapes that stand for one literal character (`\.`, `\?`, `\/`...); letters and digits are classes or codes. */
function isLiteralEscape(c: string): boolean {
  return !/[A-Za-z0-9]/.test(c);
}

/** Index just past the `]` closing the class opened at `i`. */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++; // a leading `]` is a member
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just past the `)` closing the group opened at `i`. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j]!;
    if (c === '\\') j += 2;
    else if (c === '[') j = skipClass(src, j);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
      j++;
    }
  }
  return j;
}

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(?:,\d*)?\})\??/;

/**
 * The longest run of literal characters every match of `source` must contain, or undefined when
 * the regex has none worth gating on (under 2 characters, a top-level `|`). Conservative:
 * a character made optional by a quantifier, or inside a group or class, never counts.
 *
 * @example requiredLiteral('/tmui/[^?]{0,200}\\.\\.;/') === '/tmui/'
 */
export function requiredLiteral(source: string): string | undefined {
  const runs: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur.length > 0) runs.push(cur);
    cur = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    let atom: string | undefined; // the literal character this atom stands for, if any
    if (c === '|') return undefined;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if (e === 'k') return undefined; // `\k<name>`: what follows is not literal text
      atom = isLiteralEscape(e) ? e : undefined;
      // `\xHH`, `\uHHHH` and `\cX` carry extra characters; other escapes are two long.
      i += e === 'x' ? 4 : e === 'u' ? 6 : e === 'c' ? 3 : 2;
    } else if (c === '[') i = skipClass(source, i);
    else if (c === '(') i = skipGroup(source, i);
    else if (c === '.' || c === '^' || c === '$') i++;
    else if (c === '*' || c === '+' || c === '?' || c === ')' || c === ']')
      return undefined; // malformed
    else {
      atom = c;
      i++;
    }
    const q = QUANTIFIER.exec(source.slice(i, i + 16));
    if (q !== null) {
      i += q[0].length;
      // `x+` and `x{2,}` still require one x, but end the run; `x*`, `x?`, `x{0,n}` require none.
      const min = q[0][0] === '+' ? 1 : q[1] === undefined ? 0 : Number(q[1]);
      if (atom !== undefined && min > 0) cur += atom;
      flush();
    } else if (atom !== undefined) cur += atom;
    else flush();
  }
  flush();
  let best: string | undefined;
  for (const r of runs) if (r.length >= 2 && (best === undefined || r.length > best.length)) best = r;
  return best;
}

/**
 * A test for "some regex matches", equivalent to running each in turn, with the literal
 * prefilter in front.
 */
export function createRegexListTest(res: readonly RegExp[]): (s: string) => boolean {
  const ungated: RegExp[] = [];
  const gated: { readonly re: RegExp; readonly literal: string }[] = [];
  for (const re of res) {
    const literal = re.flags === '' ? requiredLiteral(re.source) : undefined;
    if (literal === undefined) ungated.push(re);
    else gated.push({ re, literal });
  }
  const anyLiteral = createMultiMatcher(gated.map((g) => g.literal));
  return (s) => {
    for (let i = 0; i < ungated.length; i++) if (ungated[i]!.test(s)) return true;
    if (gated.length === 0 || !anyLiteral.test(s)) return false;
    for (let i = 0; i < gated.length; i++) {
      const g = gated[i]!;
      if (s.includes(g.literal) && g.re.test(s)) return true;
    }
    return false;
  };
}
