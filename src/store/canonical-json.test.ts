import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordCanonical } from './audit-chain.js';
import { canonicalJson, jsonString } from './canonical-json.js';

/** Rebuild a value with its object keys inserted in reverse order. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) {
    Object.defineProperty(out, k, {
      value: reversedKeys((v as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys recursively and prints compactly', () => {
    expect(canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] })).toBe('{"a":[true,{"c":"x","d":null}],"b":1}');
    expect(canonicalJson({ é: 1, z: 2, A: 3, _: 4, '10': 5, '9': 6 })).toBe('{"10":5,"9":6,"A":3,"_":4,"z":2,"é":1}');
  });

  it('follows JSON.stringify for the values JSON cannot hold', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: undefined, b: () => 1, c: Symbol('s'), d: 1 })).toBe('{"d":1}');
    expect(canonicalJson([undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY, -0])).toBe(
      '[null,null,null,null,0]',
    );
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson({ t: new Date(0) })).toBe('{"t":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson(12345678901234567890n)).toBe('"12345678901234567890"');
    // Boxed primitives are unwrapped; a boxed string (unlike a plain object) must not be sorted.
    expect(canonicalJson([Object(1), Object('s'), Object(false)])).toBe('[1,"s",false]');
    expect(canonicalJson('lone \ud800 "q" \n \u2028')).toBe(JSON.stringify('lone \ud800 "q" \n \u2028'));
  });

  it('applies toJSON once, as JSON.stringify does', () => {
    const inner = { toJSON: () => 'inner' };
    expect(canonicalJson({ x: { toJSON: () => inner } })).toBe(JSON.stringify({ x: { toJSON: () => inner } }));
  });

  it('throws a TypeError on cycles, but accepts shared references', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: [shared] })).toBe('{"x":{"a":1},"y":[{"a":1}]}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = { back: cyclic };
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });

  it('is a fixed point through JSON.parse and ignores key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reversedKeys(v))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('quotes strings exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(jsonString(s)).toBe(JSON.stringify(s));
      }),
    );
  });
});

describe('recordCanonical', () => {
  it('equals canonicalJson of the record it stands for', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.nat(),
          at: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          kind: fc.string(),
          action: fc.string({ unit: 'binary' }),
          subject: fc.string({ unit: 'grapheme' }),
          actor: fc.string(),
          data: fc.jsonValue(),
        }),
        (r) => {
          const text = recordCanonical(r.seq, r.at, r.kind, r.action, r.subject, r.actor, canonicalJson(r.data));
          expect(text).toBe(canonicalJson(r));
        },
      ),
    );
  });
});
