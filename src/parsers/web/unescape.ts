/**
 * Decode the escapes nginx (`\xHH` for `"`, `\`, control and non-ASCII bytes) and Apache
 * (`\"`, `\\`, `\n`, `\t`, `\xhh`) write into access-log fields. Escaped bytes are UTF-8
 * decoded together; invalid sequences become U+FFFD. Text without a backslash is returned as is.
 */
export function unescapeLogField(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  const chunks: Buffer[] = [];
  let bytes: number[] = [];
  let plainStart = 0;
  const flushPlain = (end: number) => {
    if (end > plainStart) {
      if (bytes.length > 0) {
        chunks.push(Buffer.from(bytes));
        bytes = [];
      }
      chunks.push(Buffer.from(s.slice(plainStart, end), 'utf8'));
    }
  };
  let i = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) !== 92) {
      i++;
      continue;
    }
    const n = s.charCodeAt(i + 1);
    let b = -1;
    let len = 2;
    if (n === 120 && i + 3 < s.length + 0) {
      const h = Number.parseInt(s.slice(i + 2, i + 4), 16);
      if (!Number.isNaN(h) && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
        b = h;
        len = 4;
      }
    } else if (n === 34 || n === 92) b = n;
    else if (n === 110) b = 10;
    else if (n === 116) b = 9;
    else if (n === 114) b = 13;
    if (b < 0) {
      i++;
      continue;
    }
    flushPlain(i);
    bytes.push(b);
    i += len;
    plainStart = i;
  }
  flushPlain(s.length);
  if (bytes.length > 0) chunks.push(Buffer.from(bytes));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * End of a quoted field that starts after the opening quote at `start`: the next `"` not
 * escaped by a backslash. nginx never writes a raw `"` inside a field (it writes `\x22`);
 * Apache writes `\"`. Returns -1 when the field is not closed.
 */
export function closingQuote(s: string, start: number): number {
  // Two native searches instead of a loop over every character (fields run to hundreds of
  // characters, user agents above all): the first quote counts unless a backslash comes first.
  const q = s.indexOf('"', start);
  if (q < 0) return -1;
  const b = s.indexOf('\\', start);
  if (b < 0 || b > q) return q;
  for (let i = b; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}
