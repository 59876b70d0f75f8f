import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CondNode, compileCondition, parseCondition } from './condition.js';
import { parseSigmaString, type SigmaString } from './sigma-string.js';
import { compileString } from './string-match.js';

/** Reference wildcard matcher: plain recursion over the parts, no regex. */
function refMatch(parts: SigmaString, s: string): boolean {
  const go = (pi: number, si: number): boolean => {
    if (pi === parts.length) return si === s.length;
    const p = parts[pi]!;
    if (p.t === 'lit') return s.startsWith(p.s, si) && go(pi + 1, si + p.s.length);
    if (p.t === 'one') return si < s.length && go(pi + 1, si + 1);
    if (p.t === 'class') return p.chars.some((c) => s.startsWith(c, si) && go(pi + 1, si + c.length));
    for (let k = si; k <= s.length; k++) if (go(pi + 1, k)) return true;
    return false;
  };
  return go(0, 0);
}

const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\', '.', '(', '\n');
const smallText = fc
  .array(fc.constantFrom('a', 'b', '.', '(', '\n', '*', '?', '\\'), { maxLength: 8 })
  .map((a) => a.join(''));

describe('wildcard matcher (property)', () => {
  it('agrees with a reference matcher on random patterns and inputs', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 8 }).map((a) => a.join('')),
        smallText,
        (pattern, input) => {
          const parts = parseSigmaString(pattern);
          expect(compileString(parts, true)(input)).toBe(refMatch(parts, input));
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('lowercased compile matches case-insensitively', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z*]{0,6}$/), fc.stringMatching(/^[a-zA-Z]{0,8}$/), (pattern, input) => {
        const parts = parseSigmaString(pattern);
        const lowered = parseSigmaString(pattern.toLowerCase());
        expect(compileString(parts, false)(input.toLowerCase())).toBe(refMatch(lowered, input.toLowerCase()));
      }),
      { numRuns: 1000 },
    );
  });
  it('an escaped value matches exactly itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const escaped = text.replace(/[\\*?]/g, (c) => `\\${c}`);
        expect(compileString(parseSigmaString(escaped), true)(text)).toBe(true);
      }),
    );
  });
});

const NAMES = ['sel_a', 'sel_b', 'filter', 'kw'];

const nodeArb: fc.Arbitrary<CondNode> = fc.letrec<{ node: CondNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((name): CondNode => ({ t: 'id', name })),
    fc
      .tuple(fc.constantFrom<'all' | number>('all', 1), fc.constantFrom('sel_*', 'them', '*'))
      .map(([quant, pattern]): CondNode => ({ t: 'of', quant, pattern })),
    tie('node').map((arg): CondNode => ({ t: 'not', arg })),
    fc
      .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 3 }))
      .map(([t, args]): CondNode => ({ t, args })),
  ),
})).node;

/** Print with full parentheses, so the text has one reading whatever the precedence. */
function show(n: CondNode): string {
  switch (n.t) {
    case 'id':
      return n.name;
    case 'of':
      return `${n.quant === 'all' ? 'all' : '1'} of ${n.pattern}`;
    case 'not':
      return `not (${show(n.arg)})`;
    default:
      return `(${n.args.map(show).join(` ${n.t} `)})`;
  }
}

/** Print with minimal parentheses according to the specification's precedence. */
function showMin(n: CondNode, parent = 0): string {
  const prec = n.t === 'or' ? 1 : n.t === 'and' ? 2 : 3;
  let s: string;
  if (n.t === 'id') return n.name;
  if (n.t === 'of') return `${n.quant === 'all' ? 'all' : '1'} of ${n.pattern}`;
  if (n.t === 'not') s = `not ${showMin(n.arg, 3)}`;
  else s = n.args.map((a) => showMin(a, prec + 0.5)).join(` ${n.t} `);
  return prec < parent ? `(${s})` : s;
}

function evalRef(n: CondNode, env: Record<string, boolean>): boolean {
  switch (n.t) {
    case 'id':
      return env[n.name]!;
    case 'not':
      return !evalRef(n.arg, env);
    case 'and':
      return n.args.every((a) => evalRef(a, env));
    case 'or':
      return n.args.some((a) => evalRef(a, env));
    case 'of': {
      const re = new RegExp(`^${n.pattern.replace(/\*/g, '.*')}$`);
      const names = n.pattern === 'them' ? NAMES : NAMES.filter((x) => re.test(x));
      return n.quant === 'all' ? names.every((x) => env[x]) : names.some((x) => env[x]);
    }
  }
}

describe('condition parser (property)', () => {
  const envArb = fc.record(
    Object.fromEntries(NAMES.map((n) => [n, fc.boolean()])) as Record<string, fc.Arbitrary<boolean>>,
  );
  it('parses fully and minimally parenthesized conditions to the same meaning', () => {
    fc.assert(
      fc.property(nodeArb, envArb, (node, env) => {
        const searches = new Map(NAMES.map((n) => [n, (e: Record<string, boolean>) => e[n]!]));
        const want = evalRef(node, env);
        expect(compileCondition(parseCondition(show(node)), searches)(env)).toBe(want);
        expect(compileCondition(parseCondition(showMin(node)), searches)(env)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });
  it('never throws anything but a ConditionError on garbage', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'and', 'or', 'not', '(', ')', '1', 'of', 'them', 'all', '|', 'x*'), {
          maxLength: 10,
        }),
        (toks) => {
          try {
            parseCondition(toks.join(' '));
          } catch (err) {
            expect((err as Error).constructor.name).toBe('ConditionError');
          }
        },
      ),
    );
  });
});
