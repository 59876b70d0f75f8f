import type { ClassItem, Node } from './py-ast.js';

/**
 * Emits a parsed Python regex as JavaScript source for a RegExp with the `u` flag, keeping
 * Python 3 `str` semantics where JavaScript differs:
 * - `\d`, `\w`, `\b` are Unicode-aware in Python (ASCII-only in JS): `\p{Nd}`, `[\p{L}\p{N}_]`.
 * - `.` excludes only `\n` in Python (JS also excludes `\r`, U+2028, U+2029): `[^\n]`.
 * - `$` without MULTILINE also matches before a final `\n`; `^`/`$` with MULTILINE match only
 *   at `\n` (JS's `m` also splits at `\r`): emitted as lookarounds, the JS `m` flag is never used.
 * - local flags `(?i:...)` (Node 20 has no modifiers): case variants expanded into classes;
 *   `(?s:...)`: the dot becomes `[\s\S]`.
 * - conditionals `(?(name)yes|no)` (JS has none): the caller emits one variant per assumed
 *   participation of the referenced groups (`EmitState.assume`), see `py-regex.ts`.
 * Group numbering is preserved (only non-capturing groups are added), so `\1` and group 1
 * (the date span of date templates) keep their meaning.
 */
export interface EmitState {
  readonly multiline: boolean;
  /** Globally case-insensitive: the JS `i` flag is set, so no expansion is needed. */
  readonly globalI: boolean;
  readonly globalS: boolean;
  readonly ascii: boolean;
  /** Participation assumed for groups referenced by conditionals (name or number -> set?). */
  readonly assume: ReadonlyMap<string | number, boolean>;
}

interface Scope {
  readonly i: boolean;
  readonly s: boolean;
}

const WORD_U = '\\p{L}\\p{N}_';
const WORD_A = 'a-zA-Z0-9_';
const SPACE_EXTRA = '\\x1c-\\x1f\\x85';
const NEVER = '(?!)';

export class EmitError extends Error {}

export function emitJs(root: Node, st: EmitState): string {
  const contains = memoContains();

  function wordClass(): string {
    return st.ascii ? WORD_A : WORD_U;
  }

  function escInClass(c: 'd' | 'D' | 'w' | 'W' | 's' | 'S'): { pos: string } | { neg: string } {
    switch (c) {
      case 'd':
        return { pos: st.ascii ? '0-9' : '\\p{Nd}' };
      case 'D':
        return { neg: st.ascii ? '0-9' : '\\p{Nd}' };
      case 'w':
        return { pos: wordClass() };
      case 'W':
        return { neg: wordClass() };
      case 's':
        return { pos: st.ascii ? ' \\t\\n\\r\\f\\v' : `\\s${SPACE_EXTRA}` };
      case 'S':
        return { neg: st.ascii ? ' \\t\\n\\r\\f\\v' : `\\s${SPACE_EXTRA}` };
    }
  }

  function classChar(cp: number): string {
    const ch = String.fromCodePoint(cp);
    if ('\\]^-['.includes(ch)) return `\\${ch}`;
    return printable(cp) ? ch : `\\u{${cp.toString(16)}}`;
  }

  function caseVariants(cp: number): number[] {
    const ch = String.fromCodePoint(cp);
    const set = new Set<number>([cp]);
    for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
      if ([...v].length === 1) set.add(v.codePointAt(0)!);
    }
    return [...set];
  }

  function rangeText(from: number, to: number, sc: Scope): string {
    let out = from === to ? classChar(from) : `${classChar(from)}-${classChar(to)}`;
    if (sc.i && !st.globalI) {
      // Only letters need their other case; ranges over ASCII letters map one to one.
      if (from === to) {
        for (const v of caseVariants(from)) if (v !== from) out += classChar(v);
      } else {
        const lo = String.fromCodePoint(from);
        const hi = String.fromCodePoint(to);
        for (const f of [(s: string) => s.toLowerCase(), (s: string) => s.toUpperCase()]) {
          const a = f(lo);
          const b = f(hi);
          if ([...a].length === 1 && [...b].length === 1 && (a !== lo || b !== hi) && a <= b) {
            out += `${classChar(a.codePointAt(0)!)}-${classChar(b.codePointAt(0)!)}`;
          }
        }
      }
    }
    return out;
  }

  function emitClass(negated: boolean, items: readonly ClassItem[], sc: Scope): string {
    let pos = '';
    const negs: string[] = [];
    for (const it of items) {
      if (it.t === 'range') pos += rangeText(it.from, it.to, sc);
      else {
        const e = escInClass(it.c);
        if ('pos' in e) pos += e.pos;
        else negs.push(e.neg);
      }
    }
    if (negs.length === 0) return negated ? `[^${pos}]` : pos === '' ? NEVER : `[${pos}]`;
    if (!negated) {
      // union: positives, or outside any of the negated sets
      const parts = negs.map((n) => `[^${n}]`);
      if (pos !== '') parts.unshift(`[${pos}]`);
      return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
    }
    // complement of the union: not a positive, and inside every negated set
    const guards = pos === '' ? '' : `(?![${pos}])`;
    const [last, ...rest] = negs;
    return `(?:${guards}${rest.map((n) => `(?=[${n}])`).join('')}[${last}])`;
  }

  function literal(cp: number, sc: Scope): string {
    if (sc.i && !st.globalI) {
      const vs = caseVariants(cp);
      if (vs.length > 1) return `[${vs.map(classChar).join('')}]`;
    }
    const ch = String.fromCodePoint(cp);
    if ('^$\\.*+?()[]{}|/'.includes(ch)) return `\\${ch}`;
    return printable(cp) ? ch : `\\u{${cp.toString(16)}}`;
  }

  function anchor(a: '^' | '$' | 'A' | 'Z' | 'b' | 'B'): string {
    const w = `[${wordClass()}]`;
    switch (a) {
      case '^':
        return st.multiline ? '(?<![^\\n])' : '^';
      case '$':
        return st.multiline ? '(?![^\\n])' : '(?=\\n?$)';
      case 'A':
        return '^';
      case 'Z':
        return '$';
      case 'b':
        return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
      case 'B':
        return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
    }
  }

  /** The assumed participation states this node decides on (groups it contains). */
  function forcedIn(node: Node): { set: boolean; unset: boolean } {
    let set = false;
    let unset = false;
    for (const [ref, v] of st.assume) {
      if (contains(node, ref)) {
        if (v) set = true;
        else unset = true;
      }
    }
    return { set, unset };
  }

  function emit(node: Node, sc: Scope): string {
    switch (node.t) {
      case 'seq':
        return node.items.map((n) => emit(n, sc)).join('');
      case 'alt': {
        const parts = node.branches.map((b) => {
          // A branch without a group that must participate cannot be taken.
          for (const [ref, v] of st.assume) {
            if (v && !contains(b, ref) && node.branches.some((o) => contains(o, ref))) return NEVER;
          }
          return emit(b, sc);
        });
        return parts.join('|');
      }
      case 'group': {
        const inner: Scope = {
          i: node.on?.includes('i') ? true : node.off?.includes('i') ? false : sc.i,
          s: node.on?.includes('s') ? true : node.off?.includes('s') ? false : sc.s,
        };
        if (node.off?.includes('i') && st.globalI) {
          throw new EmitError('(?-i:...) inside a globally case-insensitive expression');
        }
        const body = emit(node.body, inner);
        switch (node.kind) {
          case 'cap': {
            const assumed = st.assume.get(node.name ?? -1) ?? st.assume.get(node.index ?? -1);
            const open = node.name === undefined ? '(' : `(?<${node.name}>`;
            if (assumed === false) return `(?:${NEVER}${open}${body}))`;
            return `${open}${body})`;
          }
          case 'nc':
            return `(?:${body})`;
          case 'ahead':
            return `(?=${body})`;
          case 'nahead':
            return `(?!${body})`;
          case 'behind':
            return `(?<=${body})`;
          case 'nbehind':
            return `(?<!${body})`;
        }
        break;
      }
      case 'quant': {
        let min = node.min;
        const f = forcedIn(node.node);
        // A group that must participate cannot be skipped by a zero repeat.
        if (f.set && min === 0) min = 1;
        const body = emit(node.node, sc);
        const atom = needsWrap(node.node) ? `(?:${body})` : body;
        const q =
          min === 0 && node.max === Infinity
            ? '*'
            : min === 1 && node.max === Infinity
              ? '+'
              : min === 0 && node.max === 1
                ? '?'
                : node.max === Infinity
                  ? `{${min},}`
                  : min === node.max
                    ? `{${min}}`
                    : `{${min},${node.max}}`;
        return `${atom}${q}${node.lazy ? '?' : ''}`;
      }
      case 'char':
        return literal(node.cp, sc);
      case 'esc': {
        const e = escInClass(node.c);
        return 'pos' in e ? `[${e.pos}]` : `[^${e.neg}]`;
      }
      case 'class':
        return emitClass(node.negated, node.items, sc);
      case 'dot':
        return sc.s ? '[\\s\\S]' : '[^\\n]';
      case 'anchor':
        return anchor(node.a);
      case 'backref':
        return typeof node.ref === 'number' ? `(?:\\${node.ref})` : `\\k<${node.ref}>`;
      case 'cond': {
        const v = st.assume.get(node.ref);
        if (v === undefined) throw new EmitError(`conditional on ${node.ref} without an assumed state`);
        const branch = v ? node.yes : node.no;
        return branch === undefined ? '' : `(?:${emit(branch, sc)})`;
      }
    }
    return '';
  }

  return emit(root, { i: false, s: st.globalS });
}

function needsWrap(n: Node): boolean {
  if (n.t === 'char') return false;
  if (n.t === 'group' || n.t === 'class' || n.t === 'dot' || n.t === 'backref') return false;
  return true;
}

function printable(cp: number): boolean {
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && cp !== 0x2028 && cp !== 0x2029;
}

/** Whether a node contains the capture group `ref` (by name or number); memoized per node. */
function memoContains(): (n: Node, ref: string | number) => boolean {
  const cache = new WeakMap<Node, Set<string | number>>();
  function refs(n: Node): Set<string | number> {
    const hit = cache.get(n);
    if (hit) return hit;
    const out = new Set<string | number>();
    const add = (m: Node) => {
      for (const r of refs(m)) out.add(r);
    };
    switch (n.t) {
      case 'seq':
        n.items.forEach(add);
        break;
      case 'alt':
        n.branches.forEach(add);
        break;
      case 'group':
        if (n.kind === 'cap') {
          if (n.name !== undefined) out.add(n.name);
          if (n.index !== undefined) out.add(n.index);
        }
        add(n.body);
        break;
      case 'quant':
        add(n.node);
        break;
      case 'cond':
        add(n.yes);
        if (n.no) add(n.no);
        break;
      default:
        break;
    }
    cache.set(n, out);
    return out;
  }
  return (n, ref) => refs(n).has(ref);
}

/** Every group reference used by a conditional, in order of appearance. */
export function conditionalRefs(n: Node, out: (string | number)[] = []): (string | number)[] {
  switch (n.t) {
    case 'seq':
      for (const m of n.items) conditionalRefs(m, out);
      break;
    case 'alt':
      for (const m of n.branches) conditionalRefs(m, out);
      break;
    case 'group':
      conditionalRefs(n.body, out);
      break;
    case 'quant':
      conditionalRefs(n.node, out);
      break;
    case 'cond':
      if (!out.includes(n.ref)) out.push(n.ref);
      conditionalRefs(n.yes, out);
      if (n.no) conditionalRefs(n.no, out);
      break;
    default:
      break;
  }
  return out;
}
