import { textAt } from '../shared/find.js';

/** Real host and program names are short; a longer token (attacker text) is not worth keeping. */
const MAX_NAME = 96;
const SIZE = 8;

/**
 * The host or program names a log repeats on every line, kept as strings: a field equal to
 * one of them is that same string object instead of a fresh copy (no allocation per line, and
 * later comparisons of equal names stop at the pointer). A tiny most-recent list, checked in
 * place against the line, with the last hit tried first (a log names one host on every line
 * and a few programs in runs). Never a source of truth, only of string objects: the text
 * returned is always `line.slice(start, end)`'s.
 *
 * @example
 * const hosts = createNameCache();
 * hosts('Feb 12 14:10:21 web1 sshd[1]: x', 16, 20); // 'web1', the same object on every line
 */
export function createNameCache(): (line: string, start: number, end: number) => string {
  const names: string[] = [];
  let last = '';
  return (line, start, end) => {
    const len = end - start;
    if (last.length === len && len > 0 && textAt(line, start, last)) return last;
    for (let k = 0; k < names.length; k++) {
      const n = names[k]!;
      if (n.length === len && textAt(line, start, n)) {
        last = n;
        return n;
      }
    }
    const n = line.slice(start, end);
    if (len > MAX_NAME) return n;
    if (names.length >= SIZE) names.pop();
    names.unshift(n);
    last = n;
    return n;
  };
}
