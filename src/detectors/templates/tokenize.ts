/**
 * Python's `str.split()` / `str.strip()` whitespace (what logparser's Drain splits on). It
 * differs from JavaScript's `\s` in a few code points (\x1c-\x1f and \x85 are whitespace in
 * Python, U+FEFF is not), and faithfulness to the reference includes those edges.
 */
const WS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, 'g');

function isWs(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** `line.strip().split()` in Python: no empty tokens, an empty list for a blank line. */
export function splitTokens(text: string): string[] {
  // A hand-rolled scan: this runs on every line, and a regex split was a third of mining time.
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isWs(text.charCodeAt(i))) {
      if (start >= 0) {
        out.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** `line.strip()` in Python. */
export function pyStrip(text: string): string {
  return text.replace(TRIM, '');
}

/**
 * Python's `any(c.isdigit() for c in s)`: decimal digits of every script plus the
 * superscript, subscript and circled digits that `isdigit` also accepts.
 */
const DIGIT =
  /[\p{Nd}\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24f5-\u24fd\u24ea\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792]/u;

export function hasNumbers(token: string): boolean {
  // Fast path: ASCII digits are by far the common case.
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c > 127) return DIGIT.test(token);
  }
  return false;
}
