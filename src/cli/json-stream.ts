/** Text is handed to `write` in pieces of about this many characters. */
const PIECE = 64 * 1024;

/**
 * Write `value` as compact JSON, byte for byte what `JSON.stringify(value)` gives, without
 * building the whole text: the members of a top-level object and the elements of its arrays
 * are stringified one by one and handed over in pieces. A replay's report holds thousands of
 * alerts; as one string (plus its copy with the newline) it was the run's peak of memory.
 *
 * @example
 * writeJsonStream({ alerts }, (s) => process.stdout.write(s));
 */
export function writeJsonStream(value: unknown, write: (text: string) => void): void {
  let buf = '';
  const put = (s: string): void => {
    buf += s;
    if (buf.length >= PIECE) {
      write(buf);
      buf = '';
    }
  };
  if (!isPlainObject(value)) put(JSON.stringify(value) ?? 'undefined');
  else {
    put('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const v = value[key];
      // JSON.stringify leaves out members it cannot represent.
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      put(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (Array.isArray(v) && !('toJSON' in v)) {
        put('[');
        for (let i = 0; i < v.length; i++) put(`${i === 0 ? '' : ','}${JSON.stringify(v[i]) ?? 'null'}`);
        put(']');
      } else put(JSON.stringify(v));
    }
    put('}');
  }
  if (buf.length > 0) write(buf);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || 'toJSON' in v) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
