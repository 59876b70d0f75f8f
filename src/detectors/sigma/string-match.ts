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
