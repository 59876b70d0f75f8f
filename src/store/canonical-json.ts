/**
 * Canonical JSON: the one serialization audit hashes (and, later, fleet signatures) are computed
 * over. Two equal values must give byte-identical text whatever order their keys were built in,
 * otherwise a verifier on another machine would report tampering where there is none.
 *
 * Rules (RFC 8785 / JCS for every JSON value; JSON.stringify conventions for the rest):
 * - object keys sorted by UTF-16 code units (the default `Array.prototype.sort`), recursively;
 * - numbers as ECMAScript prints them (shortest round-trip form); NaN and ±Infinity become `null`;
 * - strings escaped as `JSON.stringify` does (lone surrogates as `\udXXX`, so the text is valid UTF-8);
 * - `toJSON()` is honoured (a Date becomes its ISO string); boxed primitives are unwrapped;
 * - `undefined`, functions and symbols are dropped from objects and become `null` in arrays
 *   and at the top level; a bigint becomes its decimal string.
 *
 * The output is a fixed point: `canonicalJson(JSON.parse(canonicalJson(v))) === canonicalJson(v)`,
 * which is what lets a verifier re-derive the hash from the stored text.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }) // '{"a":[true,{"c":"x","d":null}],"b":1}'
 * @throws TypeError on a cyclic structure.
 */
export function canonicalJson(value: unknown): string {
  return emit(normalize(value, ''), []);
}

// Characters JSON.stringify would escape (or might: any surrogate). Strings without them,
// the common case for ids and names, are quoted directly, which is several times faster.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as a JSON string literal, byte-identical to JSON.stringify. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** Serialize a value `normalize` has already been applied to (toJSON must run once only). */
function emit(value: unknown, stack: object[]): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      break;
    default:
      // undefined, function, symbol: objects drop these before getting here.
      return 'null';
  }
  if (value === null) return 'null';
  // Depth is small in practice, so a linear scan beats a Set here.
  if (stack.includes(value)) throw new TypeError('canonicalJson: cyclic structure');
  stack.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += emit(normalize(value[i], String(i)), stack);
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out = '{';
    let first = true;
    for (const k of keys) {
      const v = normalize(record[k], k);
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      if (!first) out += ',';
      first = false;
      out += `${jsonString(k)}:${emit(v, stack)}`;
    }
    out += '}';
  }
  stack.pop();
  return out;
}

/** Apply `toJSON` and unwrap boxed primitives, as JSON.stringify does before serializing. */
function normalize(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  let v: unknown = value;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(key: string): unknown }).toJSON(key);
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  return v;
}
