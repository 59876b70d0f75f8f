import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Drain } from './drain.js';

const tok = (s: string) => s.split(' ');

describe('Drain prefix tree', () => {
  it('merges lines that differ in a parameter and keeps the cluster id while generalizing', () => {
    const d = new Drain({ depth: 4, st: 0.5 });
    const a = d.add(tok('Connection closed by user alice'));
    const b = d.add(tok('Connection closed by user bob'));
    expect(a.change).toBe('created');
    expect(b.change).toBe('updated');
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(b.cluster.tokens.join(' ')).toBe('Connection closed by user <*>');
    expect(d.add(tok('Connection closed by user carol')).change).toBe('matched');
  });

  it('separates lengths, and lines below the similarity threshold', () => {
    const d = new Drain({ depth: 4, st: 0.5 });
    const a = d.add(tok('disk full on sda'));
    expect(d.add(tok('disk full on sda now')).cluster.id).not.toBe(a.cluster.id);
    // same first tokens (same leaf), 2 of 4 equal = 0.5 >= st: joins
    expect(d.add(tok('disk full at sdb')).cluster.id).toBe(a.cluster.id);
    // 1 of 4 equal non-wildcard tokens: below st, a new cluster in the same leaf
    expect(d.add(tok('disk gone at sdc')).cluster.id).not.toBe(a.cluster.id);
  });

  it('routes tokens with digits through <*> so numbers never split the tree', () => {
    const d = new Drain({ depth: 5, st: 0.5 });
    const a = d.add(tok('10 users logged in today'));
    const b = d.add(tok('12 users logged in today'));
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(b.cluster.tokens[0]).toBe('<*>');
  });

  it('sends new first tokens to <*> once a node has maxChild children', () => {
    const d = new Drain({ depth: 4, st: 0.5, maxChild: 3 });
    const a = d.add(tok('alpha x y z'));
    d.add(tok('beta x y z')); // second child; the third slot becomes <*>
    const c = d.add(tok('gamma x y z'));
    const e = d.add(tok('delta x y z'));
    // gamma went under <*> (no slot left for a named child), delta followed it and matched
    expect(c.cluster.id).not.toBe(a.cluster.id);
    expect(e.cluster.id).toBe(c.cluster.id);
    expect(e.cluster.tokens.join(' ')).toBe('<*> x y z');
  });

  it('breaks similarity ties toward the template with more parameters (fastMatch)', () => {
    const d = new Drain({ depth: 3, st: 0.4 });
    const first = d.add(tok('a b c d'));
    // joins `first` (3/4): template a b c <*>
    d.add(tok('a b c e'));
    const second = d.add(tok('q r s t'));
    expect(second.cluster.id).not.toBe(first.cluster.id);
    // `a b x y` scores 2/4 against `a b c <*>` (1 param) and 0 against `q r s t`: the first
    expect(d.add(tok('a b x y')).cluster.id).toBe(first.cluster.id);
  });

  it('keys sequences shorter than depth-2 tokens exactly, like the reference output groups them', () => {
    const d = new Drain({ depth: 6, st: 0.2 });
    const a = d.add(tok('ok'));
    expect(d.add(tok('ok')).cluster.id).toBe(a.cluster.id);
    expect(d.add(tok('no')).cluster.id).not.toBe(a.cluster.id);
    expect(d.add([]).cluster.id).toBe(d.add([]).cluster.id);
  });

  it('rejects invalid settings with the key and the accepted range', () => {
    expect(() => new Drain({ depth: 0, st: 0.5 })).toThrow(/depth must be an integer >= 1/);
    expect(() => new Drain({ depth: 4, st: 1.5 })).toThrow(/st must be within/);
  });
});

const word = fc.constantFrom('open', 'close', 'user', 'root', 'failed', 'from', 'port', 'x1', '42', '<*>', 'a-b', 'ok');
const lineArb = fc.array(word, { minLength: 0, maxLength: 9 });
const optsArb = fc.record({
  depth: fc.integer({ min: 1, max: 7 }),
  st: fc.double({ min: 0, max: 1, noNaN: true }),
  maxChild: fc.integer({ min: 2, max: 6 }),
});

describe('Drain properties', () => {
  it('every line gets a positive id and a template of its own length', () => {
    fc.assert(
      fc.property(optsArb, fc.array(lineArb, { maxLength: 60 }), (opts, lines) => {
        const d = new Drain(opts);
        for (const l of lines) {
          const r = d.add(l);
          expect(r.cluster.id).toBeGreaterThan(0);
          expect(r.cluster.tokens).toHaveLength(l.length);
          expect(d.get(r.cluster.id)).toBe(r.cluster);
        }
      }),
    );
  });

  it('the same line fed twice in a row gets the same id', () => {
    fc.assert(
      fc.property(optsArb, fc.array(lineArb, { maxLength: 40 }), lineArb, (opts, history, line) => {
        const d = new Drain(opts);
        for (const l of history) d.add(l);
        expect(d.add(line).cluster.id).toBe(d.add(line).cluster.id);
      }),
    );
  });

  it('ids and templates are unchanged by snapshot/restore (through JSON)', () => {
    fc.assert(
      fc.property(
        optsArb,
        fc.array(lineArb, { maxLength: 40 }),
        fc.array(lineArb, { maxLength: 40 }),
        (opts, before, after) => {
          const live = new Drain(opts);
          for (const l of before) live.add(l);
          const restored = Drain.restore(JSON.parse(JSON.stringify(live.snapshot())));
          for (const l of after) {
            const x = live.add(l);
            const y = restored.add(l);
            expect(y.cluster.id).toBe(x.cluster.id);
            expect(y.cluster.tokens).toEqual(x.cluster.tokens);
            expect(y.change).toBe(x.change);
          }
        },
      ),
    );
  });
});
