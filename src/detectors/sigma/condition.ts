/**
 * Sigma conditions: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`, `any of x*`,
 * `N of x*` and `them`, with the specification's precedence (least to most binding):
 * or, and, not, `x of`, parentheses. A bad condition is an error naming where it broke.
 */
export type CondNode =
  | { readonly t: 'id'; readonly name: string }
  | { readonly t: 'of'; readonly quant: 'all' | number; readonly pattern: string }
  | { readonly t: 'not'; readonly arg: CondNode }
  | { readonly t: 'and' | 'or'; readonly args: readonly CondNode[] };

export class ConditionError extends Error {}

interface Tok {
  readonly v: string;
  readonly pos: number;
}

const TOKEN = /\s*(\(|\)|[^\s()]+)/y;

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(start).trim() !== '') throw new ConditionError(`unexpected text at ${start}`);
      return out;
    }
    out.push({ v: m[1]!, pos: m.index + m[0].length - m[1]!.length });
  }
}

const IDENT = /^[A-Za-z0-9_][\w.-]*$/;
const PATTERN = /^[\w.*-]+$/;

/**
 * Parse a condition to a tree.
 * @example parseCondition('selection and not 1 of filter_*')
 * @throws ConditionError with the position of the problem.
 */
export function parseCondition(text: string): CondNode {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => toks[i]?.v;
  const lower = (): string | undefined => toks[i]?.v.toLowerCase();
  const where = (): string => (i < toks.length ? `"${toks[i]!.v}" at ${toks[i]!.pos}` : 'the end');
  const fail = (what: string): never => {
    throw new ConditionError(`${what}, found ${where()} in condition "${text}"`);
  };

  const parseOr = (): CondNode => {
    const args = [parseAnd()];
    while (lower() === 'or') {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? args[0]! : { t: 'or', args };
  };
  const parseAnd = (): CondNode => {
    const args = [parseNot()];
    while (lower() === 'and') {
      i++;
      args.push(parseNot());
    }
    return args.length === 1 ? args[0]! : { t: 'and', args };
  };
  const parseNot = (): CondNode => {
    if (lower() === 'not') {
      i++;
      return { t: 'not', arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): CondNode => {
    const tok = peek();
    if (tok === undefined) return fail('expected a search identifier');
    if (tok === '(') {
      i++;
      const inner = parseOr();
      if (peek() !== ')') fail('expected ")"');
      i++;
      return inner;
    }
    const low = tok.toLowerCase();
    if (toks[i + 1]?.v.toLowerCase() === 'of') {
      let quant: 'all' | number;
      if (low === 'all') quant = 'all';
      else if (low === 'any') quant = 1;
      else if (/^[1-9]\d*$/.test(tok)) quant = Number(tok);
      else return fail('expected "1", "any" or "all" before "of"');
      i += 2;
      const pat = peek();
      if (pat === undefined || pat === '(' || pat === ')' || !PATTERN.test(pat))
        return fail('expected a search identifier pattern or "them" after "of"');
      i++;
      return { t: 'of', quant, pattern: pat };
    }
    if (low === 'and' || low === 'or' || low === 'of' || tok === ')') return fail('expected a search identifier');
    if (tok.includes('|')) return fail('aggregations ("| count() ...") are Sigma 1.0 syntax; write a correlation rule');
    if (!IDENT.test(tok)) return fail('expected a search identifier');
    i++;
    return { t: 'id', name: tok };
  };

  if (toks.length === 0) throw new ConditionError('the condition is empty');
  const tree = parseOr();
  if (i < toks.length && toks[i]!.v.startsWith('|'))
    fail('aggregations ("| count() ...") are Sigma 1.0 syntax; write a correlation rule');
  if (i < toks.length) fail('expected "and", "or" or the end');
  return tree;
}

/** Search identifiers a `x of pattern` names (`them`: every one not starting with `_`). */
export function expandPattern(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return names.filter((n) => re.test(n));
}

/**
 * Compile a condition tree to a predicate over the search identifiers' results.
 * @throws ConditionError for an unknown identifier or a pattern that names none.
 */
export function compileCondition<C>(
  node: CondNode,
  searches: ReadonlyMap<string, (ctx: C) => boolean>,
): (ctx: C) => boolean {
  const names = [...searches.keys()];
  const lookup = (name: string): ((ctx: C) => boolean) => {
    const f = searches.get(name);
    if (!f) throw new ConditionError(`unknown search identifier "${name}" (defined: ${names.join(', ') || 'none'})`);
    return f;
  };
  const go = (n: CondNode): ((ctx: C) => boolean) => {
    switch (n.t) {
      case 'id':
        return lookup(n.name);
      case 'not': {
        const f = go(n.arg);
        return (c) => !f(c);
      }
      case 'and': {
        const fs = n.args.map(go);
        return (c) => {
          for (const f of fs) if (!f(c)) return false;
          return true;
        };
      }
      case 'or': {
        const fs = n.args.map(go);
        return (c) => {
          for (const f of fs) if (f(c)) return true;
          return false;
        };
      }
      case 'of': {
        const matched = expandPattern(n.pattern, names);
        if (matched.length === 0)
          throw new ConditionError(`"${n.pattern}" matches no search identifier (defined: ${names.join(', ')})`);
        const fs = matched.map(lookup);
        if (n.quant === 'all')
          return (c) => {
            for (const f of fs) if (!f(c)) return false;
            return true;
          };
        const need = n.quant;
        return (c) => {
          let hits = 0;
          for (const f of fs) if (f(c) && ++hits >= need) return true;
          return false;
        };
      }
    }
  };
  return go(node);
}
