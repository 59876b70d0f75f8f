/**
 * The JSON object `text` holds, or undefined when it holds none or names a key twice in one
 * object. JSON.parse keeps the last of two equal keys, and no serializer writes one twice: a
 * line that does was templated without escaping (nginx's `log_format ... escape=none`, an
 * application's printf), so a user agent `x","remote_addr":"203.0.113.9` would replace the
 * real client. Such a line is not read as JSON at all.
 *
 * @example
 * parseJsonObject('{"remote_addr":"192.0.2.1","ua":"x","remote_addr":"203.0.113.9"}'); // undefined
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  return hasDuplicateKey(text) ? undefined : (doc as Record<string, unknown>);
}

/**
 * Whether valid JSON `text` names a key twice in one object. One pass over the text: strings
 * are skipped whole (an escaped quote never ends one), and a string followed by `:` is a key of
 * the innermost open object.
 */
export function hasDuplicateKey(text: string): boolean {
  // One entry per open object or array (null for an array); a set only once an object has keys.
  const open: (Set<string> | null | undefined)[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          escaped = true;
          j += 2;
        } else if (d === 34) break;
        else j++;
      }
      let k = j + 1;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      const top = open.length - 1;
      if (top >= 0 && open[top] !== null && text.charCodeAt(k) === 58) {
        // `"a\u0062"` and `"ab"` are the same key.
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        const keys = (open[top] ??= new Set());
        if (keys.has(key)) return true;
        keys.add(key);
      }
      i = j + 1;
    } else {
      if (c === 123) open.push(undefined);
      else if (c === 91) open.push(null);
      else if (c === 125 || c === 93) open.pop();
      i++;
    }
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
