import type { SigmaString } from './sigma-string.js';

export type StringTest = (s: string) => boolean;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compile a Sigma string to the cheapest test that decides it: equality, prefix, suffix,
 * substring, or an anchored RegExp for anything else. When `cased` is false the pattern is
 * lowercased here and the caller passes lowercased input, so no `i` flag is needed.
 */
export function compileString(v: SigmaString, cased: boolean): StringTest {
  const norm = (s: string): string => (cased ? s : s.toLowerCase());
  const n = v.length;
  if (n === 0) return (s) => s === '';
  const first = v[0]!;
  const last = v[n - 1]!;
  if (n === 1) {
    if (first.t === 'lit') {
      const lit = norm(first.s);
      return (s) => s === lit;
    }
    if (first.t === 'star') return () => true;
  }
  if (n === 2 && first.t === 'star' && last.t === 'lit') {
    const lit = norm(last.s);
    return (s) => s.endsWith(lit);
  }
  if (n === 2 && first.t === 'lit' && last.t === 'star') {
    const lit = norm(first.s);
    return (s) => s.startsWith(lit);
  }
  if (n === 3 && first.t === 'star' && last.t === 'star' && v[1]!.t === 'lit') {
    const lit = norm((v[1] as { s: string }).s);
    return (s) => s.includes(lit);
  }
  if (v.every((p) => p.t === 'lit' || p.t === 'star'))
    return starMatcher(v.map((p) => (p.t === 'lit' ? norm(p.s) : '')));
  let src = '^';
  for (const p of v) {
    if (p.t === 'lit') src += escapeRegex(norm(p.s));
    else if (p.t === 'star') src += '[\\s\\S]*';
    else if (p.t === 'one') src += '[\\s\\S]';
    else src += `(?:${p.chars.map((c) => escapeRegex(norm(c))).join('|')})`;
  }
  src += '$';
  const re = new RegExp(src);
  return (s) => re.test(s);
}

/**
 * Patterns of literals and `*` only, matched with indexOf in linear time (a RegExp of several
 * `[\s\S]*` backtracks quadratically on long command lines). `segs` holds the literals with
 * '' for each star; leftmost matching of the middle literals is exact for `*`-only patterns.
 */
function starMatcher(segs: readonly string[]): StringTest {
  const anchoredStart = segs[0] !== '';
  const anchoredEnd = segs[segs.length - 1] !== '';
  const lits = segs.filter((x) => x !== '');
  return (s) => {
    let pos = 0;
    let from = 0;
    let to = lits.length;
    if (anchoredStart) {
      if (!s.startsWith(lits[0]!)) return false;
      pos = lits[0]!.length;
      from = 1;
    }
    let endLimit = s.length;
    if (anchoredEnd && to > from) {
      const last = lits[to - 1]!;
      endLimit = s.length - last.length;
      if (endLimit < pos || !s.endsWith(last)) return false;
      to--;
    } else if (anchoredEnd && to === from && anchoredStart) return pos === s.length;
    for (let i = from; i < to; i++) {
      const at = s.indexOf(lits[i]!, pos);
      if (at < 0 || at + lits[i]!.length > endLimit) return false;
      pos = at + lits[i]!.length;
    }
    return true;
  };
}
