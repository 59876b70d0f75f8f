/**
 * `s.indexOf(text, from)` for short literal patterns that start with a space (` from `,
 * ` port `, ` rhost=`...), with the same results. For patterns under 7 characters V8 scans
 * for the first character and compares at each hit: on a log line that means stopping at every
 * space. Searching for one rare character of the pattern instead, then checking the rest, is
 * several times cheaper. Longer patterns are fine with `indexOf` (V8 uses Boyer-Moore there).
 */
export interface TextPattern {
  readonly text: string;
  /** Index in `text` of the character searched for. */
  readonly anchor: number;
  readonly char: string;
}

/**
 * The character to search for is the first that is neither a space nor a lowercase letter
 * (`=`, `;`, `[` are rare in log text), else the first that is not a space.
 */
export function textPattern(text: string): TextPattern {
  if (text.length === 0) throw new RangeError('textPattern: empty pattern');
  let anchor = -1;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 32) continue;
    if (c < 97 || c > 122) {
      anchor = k;
      break;
    }
    if (anchor < 0) anchor = k;
  }
  if (anchor < 0) anchor = text.length - 1;
  return { text, anchor, char: text.charAt(anchor) };
}

/** First index >= `from` where `p` occurs in `s`, or -1 (as `s.indexOf(p.text, from)`). */
export function indexOfText(s: string, p: TextPattern, from = 0): number {
  const text = p.text;
  const a = p.anchor;
  const last = s.length - text.length;
  for (let i = s.indexOf(p.char, Math.max(from, 0) + a); i >= 0; i = s.indexOf(p.char, i + 1)) {
    const start = i - a;
    if (start > last) return -1;
    let k = 0;
    while (k < text.length && s.charCodeAt(start + k) === text.charCodeAt(k)) k++;
    if (k === text.length) return start;
  }
  return -1;
}

/**
 * `s.startsWith(text, at)` for a `text` that is not a literal (a cached name, a recent
 * address), with the same result for `at >= 0`. V8 inlines `startsWith` only for constant
 * search strings; for any other it calls the generic builtin, which costs more than comparing
 * the few characters of a host or program name here.
 */
export function textAt(s: string, at: number, text: string): boolean {
  const n = text.length;
  if (at + n > s.length) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(at + k) !== text.charCodeAt(k)) return false;
  return true;
}
