/**
 * A parser for Python `re` syntax (the dialect fail2ban filters are written in) into a small
 * AST, so it can be re-emitted as a JavaScript RegExp with Python's semantics (see
 * `py-emit.ts`). Only what `sre_parse` accepts is accepted; anything we cannot express is
 * reported as a `PyRegexError` naming the construct, never silently dropped.
 */

export type ClassItem =
  | { readonly t: 'range'; readonly from: number; readonly to: number }
  | { readonly t: 'esc'; readonly c: 'd' | 'D' | 'w' | 'W' | 's' | 'S' };

export type Node =
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly branches: readonly Node[] }
  | {
      readonly t: 'group';
      /** cap: numbered capture (name set when named); nc: non-capturing; look: lookaround. */
      readonly kind: 'cap' | 'nc' | 'ahead' | 'nahead' | 'behind' | 'nbehind';
      readonly name?: string;
      readonly index?: number;
      /** Local flags switched on / off for the body, `(?i:...)`. */
      readonly on?: string;
      readonly off?: string;
      readonly body: Node;
    }
  | {
      readonly t: 'quant';
      readonly node: Node;
      readonly min: number;
      readonly max: number;
      readonly lazy: boolean;
    }
  | { readonly t: 'char'; readonly cp: number }
  | { readonly t: 'esc'; readonly c: 'd' | 'D' | 'w' | 'W' | 's' | 'S' }
  | { readonly t: 'class'; readonly negated: boolean; readonly items: readonly ClassItem[] }
  | { readonly t: 'dot' }
  | { readonly t: 'anchor'; readonly a: '^' | '$' | 'A' | 'Z' | 'b' | 'B' }
  | { readonly t: 'backref'; readonly ref: string | number }
  | { readonly t: 'cond'; readonly ref: string | number; readonly yes: Node; readonly no: Node | undefined };

export class PyRegexError extends Error {
  constructor(
    message: string,
    readonly pattern: string,
    readonly pos: number,
  ) {
    super(`${message} at position ${pos}`);
    this.name = 'PyRegexError';
  }
}

export interface ParsedPyRegex {
  readonly root: Node;
  /** Global flags from a leading `(?imsx)` (Python also accepts them later, with a warning). */
  readonly flags: string;
  readonly groupCount: number;
  readonly groupNames: ReadonlyMap<string, number>;
}

const FLAG_CHARS = 'aiLmsux';
const SIMPLE_ESC: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 };

/** Parse a Python regular expression. @throws PyRegexError */
export function parsePyRegex(pattern: string, initialFlags = ''): ParsedPyRegex {
  let pos = 0;
  let groupCount = 0;
  const groupNames = new Map<string, number>();
  let globalFlags = initialFlags;
  const fail = (msg: string, at = pos): never => {
    throw new PyRegexError(msg, pattern, at);
  };
  const verbose = () => globalFlags.includes('x');
  const peek = (o = 0) => pattern[pos + o];

  function skipVerbose(): void {
    if (!verbose()) return;
    for (;;) {
      const c = peek();
      if (c === undefined) return;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') pos++;
      else if (c === '#') {
        while (pos < pattern.length && pattern[pos] !== '\n') pos++;
      } else return;
    }
  }

  function parseAlt(): Node {
    const branches: Node[] = [parseSeq()];
    while (peek() === '|') {
      pos++;
      branches.push(parseSeq());
    }
    return branches.length === 1 ? branches[0]! : { t: 'alt', branches };
  }

  function parseSeq(): Node {
    const items: Node[] = [];
    for (;;) {
      skipVerbose();
      const c = peek();
      if (c === undefined || c === '|' || c === ')') break;
      const atomStart = pos;
      const atom = parseAtom();
      if (atom === null) continue;
      skipVerbose();
      const q = parseQuantifier();
      if (q !== null) {
        if (atom.t === 'anchor' && (atom.a === '^' || atom.a === '$' || atom.a === 'A' || atom.a === 'Z')) {
          // Python accepts `^*`; the repeat is of a zero-width assertion and means nothing useful.
          items.push(q.min === 0 ? { t: 'seq', items: [] } : atom);
          continue;
        }
        if (atom.t === 'quant') fail('multiple repeat', atomStart);
        items.push({ t: 'quant', node: atom, ...q });
      } else items.push(atom);
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  function parseQuantifier(): { min: number; max: number; lazy: boolean } | null {
    const c = peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(pattern.slice(pos));
      if (m === null || (m[1] === '' && m[2] === undefined)) return null; // a literal `{`
      min = m[1] === '' ? 0 : Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) fail('min repeat greater than max repeat');
      pos += m[0].length - 1;
    } else return null;
    pos++;
    let lazy = false;
    if (peek() === '?') {
      lazy = true;
      pos++;
    } else if (peek() === '+') fail('possessive quantifier (Python 3.11) has no JavaScript equivalent');
    return { min, max, lazy };
  }

  function parseName(end: string): string {
    const close = pattern.indexOf(end, pos);
    if (close < 0) fail(`missing ${end}`);
    const name = pattern.slice(pos, close);
    pos = close + 1;
    return name;
  }

  function parseAtom(): Node | null {
    const c = pattern[pos]!;
    switch (c) {
      case '(':
        return parseGroup();
      case '[':
        return parseClass();
      case '.':
        pos++;
        return { t: 'dot' };
      case '^':
        pos++;
        return { t: 'anchor', a: '^' };
      case '$':
        pos++;
        return { t: 'anchor', a: '$' };
      case '\\':
        return parseEscape();
      case '*':
      case '+':
      case '?':
        return fail('nothing to repeat');
      case '{': {
        // Not a valid quantifier here: Python takes it as a literal.
        pos++;
        return { t: 'char', cp: 0x7b };
      }
      default: {
        const cp = pattern.codePointAt(pos)!;
        pos += cp > 0xffff ? 2 : 1;
        return { t: 'char', cp };
      }
    }
  }

  function parseGroup(): Node | null {
    const start = pos;
    pos++; // (
    if (peek() !== '?') {
      const index = ++groupCount;
      const body = parseAlt();
      expectClose(start);
      return { t: 'group', kind: 'cap', index, body };
    }
    pos++; // ?
    const c = peek();
    if (c === 'P') {
      pos++;
      if (peek() === '<') {
        pos++;
        const name = parseName('>');
        if (!/^[A-Za-z_]\w*$/.test(name)) fail(`bad character in group name '${name}'`, start);
        if (groupNames.has(name)) fail(`redefinition of group name '${name}'`, start);
        const index = ++groupCount;
        groupNames.set(name, index);
        const body = parseAlt();
        expectClose(start);
        return { t: 'group', kind: 'cap', name, index, body };
      }
      if (peek() === '=') {
        pos++;
        const name = parseName(')');
        if (!groupNames.has(name)) fail(`unknown group name '${name}'`, start);
        return { t: 'backref', ref: name };
      }
      return fail('unknown extension ?P', start);
    }
    if (c === ':' || c === '=' || c === '!') {
      pos++;
      const body = parseAlt();
      expectClose(start);
      return { t: 'group', kind: c === ':' ? 'nc' : c === '=' ? 'ahead' : 'nahead', body };
    }
    if (c === '<' && (peek(1) === '=' || peek(1) === '!')) {
      const neg = peek(1) === '!';
      pos += 2;
      const body = parseAlt();
      expectClose(start);
      return { t: 'group', kind: neg ? 'nbehind' : 'behind', body };
    }
    if (c === '<') {
      // Python 3.12 accepts `(?<name>` too.
      pos++;
      const name = parseName('>');
      if (!/^[A-Za-z_]\w*$/.test(name)) fail(`bad character in group name '${name}'`, start);
      const index = ++groupCount;
      groupNames.set(name, index);
      const body = parseAlt();
      expectClose(start);
      return { t: 'group', kind: 'cap', name, index, body };
    }
    if (c === '#') {
      const close = pattern.indexOf(')', pos);
      if (close < 0) fail('missing ), unterminated comment', start);
      pos = close + 1;
      return null;
    }
    if (c === '>') return fail('atomic group (?>...) has no JavaScript equivalent', start);
    if (c === '(') {
      pos++;
      const refText = parseName(')');
      let ref: string | number;
      if (/^\d+$/.test(refText)) ref = Number(refText);
      else {
        if (!groupNames.has(refText)) fail(`unknown group name '${refText}' in conditional`, start);
        ref = refText;
      }
      const yes = parseSeq();
      let no: Node | undefined;
      if (peek() === '|') {
        pos++;
        no = parseSeq();
        if (peek() === '|') fail('conditional backref with more than two branches', start);
      }
      expectClose(start);
      return { t: 'cond', ref, yes, no };
    }
    // Flags: (?imsx) global, (?imsx-imsx:...) local.
    let on = '';
    let off = '';
    while (peek() !== undefined && FLAG_CHARS.includes(peek()!)) on += pattern[pos++];
    if (peek() === '-') {
      pos++;
      while (peek() !== undefined && FLAG_CHARS.includes(peek()!)) off += pattern[pos++];
    }
    if (peek() === ')' && off === '' && on !== '') {
      pos++;
      // Global flags: Python 3.11 only accepts them at the start; fail2ban moves wrapped ones
      // to local groups before compiling (see `globalToLocalFlags`).
      if (start !== 0 && pattern.slice(0, start).replace(/\(\?[aiLmsux]+\)/g, '') !== '') {
        fail('global flags not at the start of the expression', start);
      }
      for (const f of on) if (!globalFlags.includes(f)) globalFlags += f;
      return null;
    }
    if (peek() === ':' && (on !== '' || off !== '')) {
      pos++;
      const body = parseAlt();
      expectClose(start);
      return { t: 'group', kind: 'nc', on, off, body };
    }
    return fail(`unknown extension ?${c ?? ''}`, start);
  }

  function expectClose(start: number): void {
    if (peek() !== ')') fail('missing ), unterminated subpattern', start);
    pos++;
  }

  function parseEscape(): Node {
    const start = pos;
    pos++; // backslash
    const c = peek();
    if (c === undefined) return fail('bad escape (end of pattern)', start);
    pos++;
    if ('dDwWsS'.includes(c)) return { t: 'esc', c: c as 'd' };
    if ('bBAZ'.includes(c)) return { t: 'anchor', a: c as 'b' };
    if (c >= '1' && c <= '9') {
      // Octal when it starts with 0 or has three octal digits; else a group number.
      const m = /^[0-7]{2}/.exec(pattern.slice(pos));
      if (c <= '7' && m !== null) {
        pos += 2;
        return { t: 'char', cp: Number.parseInt(c + m[0], 8) };
      }
      let digits = c;
      if (peek() !== undefined && /\d/.test(peek()!)) digits += pattern[pos++];
      const n = Number(digits);
      if (n > groupCount) fail(`invalid group reference ${n}`, start);
      return { t: 'backref', ref: n };
    }
    return { t: 'char', cp: commonEscape(c, start) };
  }

  /** Escapes valid both inside and outside classes that stand for one character. */
  function commonEscape(c: string, start: number): number {
    const simple = SIMPLE_ESC[c];
    if (simple !== undefined) return simple;
    if (c === '0') {
      const m = /^[0-7]{0,2}/.exec(pattern.slice(pos))![0];
      pos += m.length;
      return Number.parseInt(`0${m}`, 8);
    }
    if (c === 'x' || c === 'u' || c === 'U') {
      const len = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const hex = pattern.slice(pos, pos + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`incomplete escape \\${c}${hex}`, start);
      pos += len;
      return Number.parseInt(hex, 16);
    }
    if (c === 'N') fail('named unicode escape \\N{...} is not supported', start);
    if (/[A-Za-z0-9]/.test(c)) fail(`bad escape \\${c}`, start);
    return c.codePointAt(0)!;
  }

  function parseClass(): Node {
    const start = pos;
    pos++; // [
    let negated = false;
    if (peek() === '^') {
      negated = true;
      pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = peek();
      if (c === undefined) fail('unterminated character set', start);
      if (c === ']' && !first) {
        pos++;
        break;
      }
      first = false;
      const lo = classAtom();
      if (typeof lo !== 'number') {
        items.push(lo);
        continue;
      }
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== undefined) {
        pos++;
        const hi = classAtom();
        if (typeof hi !== 'number') fail('bad character range', start);
        if ((hi as number) < lo) fail('bad character range', start);
        items.push({ t: 'range', from: lo, to: hi as number });
      } else items.push({ t: 'range', from: lo, to: lo });
    }
    return { t: 'class', negated, items };
  }

  function classAtom(): number | ClassItem {
    const c = pattern[pos]!;
    if (c !== '\\') {
      const cp = pattern.codePointAt(pos)!;
      pos += cp > 0xffff ? 2 : 1;
      return cp;
    }
    const start = pos;
    pos++;
    const e = peek();
    if (e === undefined) return fail('bad escape (end of pattern)', start);
    pos++;
    if ('dDwWsS'.includes(e)) return { t: 'esc', c: e as 'd' };
    if (e === 'b') return 8;
    if (e >= '1' && e <= '7' && /^[0-7]{2}/.test(pattern.slice(pos))) {
      const oct = e + pattern.slice(pos, pos + 2);
      pos += 2;
      return Number.parseInt(oct, 8);
    }
    return commonEscape(e, start);
  }

  // A leading global-flags group may come before anything else.
  const root = parseAlt();
  if (pos < pattern.length) fail(pattern[pos] === ')' ? 'unbalanced parenthesis' : 'unexpected character');
  return { root, flags: globalFlags, groupCount, groupNames };
}
