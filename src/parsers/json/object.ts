/**
 * The JSON object `text` holds (it opens with `{`, as a log line or message holding one does),
 * or undefined when it holds none or names a key twice in one object. JSON.parse keeps the last of two equal keys, and no serializer writes one twice: a
 * line that does was templated without escaping (nginx's `log_format ... escape=none`, an
 * application's printf), so a user agent `x","remote_addr":"203.0.113.9` would replace the
 * real client. Such a line is not read as JSON at all.
 *
 * @example
 * parseJsonObject('{"remote_addr":"192.0.2.1","ua":"x","remote_addr":"203.0.113.9"}'); // undefined
 */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.charCodeAt(0) !== 123) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  return hasDuplicateKey(text, doc) ? undefined : (doc as Record<string, unknown>);
}

/**
 * Whether valid JSON `text`, parsed as `doc`, names a key twice in one object: JSON.parse keeps
 * one of them, so the text then holds more keys than the document. One pass over the text counts
 * them (strings are skipped whole, an escaped quote never ends one; a string followed by `:` is a
 * key) without building any string, then a walk of the document counts what was kept.
 */
export function hasDuplicateKey(text: string, doc: unknown = JSON.parse(text)): boolean {
  let written = 0;
  let i = text.indexOf('"');
  while (i >= 0) {
    // The closing quote: the next one not escaped (an odd run of backslashes before it).
    let j = text.indexOf('"', i + 1);
    while (j > 0) {
      let b = j - 1;
      while (text.charCodeAt(b) === 92) b--;
      if ((j - 1 - b) % 2 === 0) break;
      j = text.indexOf('"', j + 1);
    }
    if (j < 0) break;
    let k = j + 1;
    while (isSpace(text.charCodeAt(k))) k++;
    if (text.charCodeAt(k) === 58) written++;
    i = text.indexOf('"', j + 1);
  }
  let kept = 0;
  const open: unknown[] = [doc];
  while (open.length > 0) {
    const v = open.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') open.push(x);
      continue;
    }
    for (const key in v) {
      kept++;
      const x = (v as Record<string, unknown>)[key];
      if (x !== null && typeof x === 'object') open.push(x);
    }
  }
  return written !== kept;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
