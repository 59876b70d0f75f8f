/**
 * Aho-Corasick automaton over UTF-16 code units: one pass over the text finds every pattern of a
 * list, so a 600-entry user-agent list costs one scan per line instead of 600 `includes` calls
 * (or one catastrophic regex alternation). The automaton is flattened into a DFA table over the
 * pattern alphabet, so each character of the text costs one array read, with no failure-link
 * walks. Anchored lists (`startswith`, `endswith`) only walk a trie from the anchored end: the
 * cost is the longest pattern, not the length of the (attacker-controlled) text.
 */
export type PatternPosition = 'anywhere' | 'start' | 'end';

export interface MultiMatcher {
  readonly size: number;
  /** True when some pattern occurs in `text` at the requested position. */
  test(text: string): boolean;
}

/** Above this many table cells (nodes × alphabet), fall back to per-node maps to bound memory. */
const MAX_TABLE_CELLS = 8_000_000;

interface Trie {
  /** Per node: transitions keyed by code unit. */
  readonly next: Map<number, number>[];
  /** Per node: lengths of the patterns ending exactly here. */
  readonly out: (number[] | undefined)[];
}

function buildTrie(patterns: readonly string[], reversed: boolean): Trie {
  const next: Map<number, number>[] = [new Map()];
  const out: (number[] | undefined)[] = [undefined];
  for (const p of patterns) {
    if (p.length === 0) continue;
    let node = 0;
    for (let k = 0; k < p.length; k++) {
      const c = p.charCodeAt(reversed ? p.length - 1 - k : k);
      const trans = next[node]!;
      let to = trans.get(c);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        out.push(undefined);
        trans.set(c, to);
      }
      node = to;
    }
    const o = out[node];
    if (o === undefined) out[node] = [p.length];
    else if (!o.includes(p.length)) o.push(p.length);
  }
  return { next, out };
}

interface Automaton {
  readonly next: Map<number, number>[];
  readonly fail: Int32Array;
  /** Per node: lengths of the patterns ending here (own and through suffix links). */
  readonly out: (number[] | undefined)[];
  /** BFS order of the nodes (root first). */
  readonly order: number[];
}

function buildAutomaton(patterns: readonly string[]): Automaton {
  const { next, out: ownOut } = buildTrie(patterns, false);
  const fail = new Int32Array(next.length);
  const out: (number[] | undefined)[] = ownOut.slice();
  const order: number[] = [0];
  for (const child of next[0]!.values()) order.push(child);
  for (let qi = 1; qi < order.length; qi++) {
    const node = order[qi]!;
    const f = fail[node]!;
    const fo = out[f];
    if (fo !== undefined) out[node] = out[node] === undefined ? fo : [...out[node]!, ...fo];
    for (const [c, child] of next[node]!) {
      let g = f;
      let target = next[g]!.get(c);
      while (target === undefined && g !== 0) {
        g = fail[g]!;
        target = next[g]!.get(c);
      }
      fail[child] = target !== undefined && target !== child ? target : 0;
      order.push(child);
    }
  }
  return { next, fail, out, order };
}

/** Characters that occur in no pattern share class 0, whose transitions all lead to the root. */
interface Alphabet {
  readonly ascii: Uint16Array;
  readonly high: Map<number, number>;
  readonly size: number;
}

function alphabetOf(patterns: readonly string[]): Alphabet {
  const ascii = new Uint16Array(128);
  const high = new Map<number, number>();
  let size = 1;
  for (const p of patterns) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 128) {
        if (ascii[c] === 0) ascii[c] = size++;
      } else if (!high.has(c)) high.set(c, size++);
    }
  }
  return { ascii, high, size };
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `words`: the match at [start, end] sits on word boundaries like regex `\b`. */
function onWordBoundaries(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end);
  if (isWordChar(first) && start > 0 && isWordChar(text.charCodeAt(start - 1))) return false;
  if (isWordChar(last) && end + 1 < text.length && isWordChar(text.charCodeAt(end + 1))) return false;
  return true;
}

/** `startswith` / `endswith`: walk a (reversed, for the end) trie from the anchored end only. */
function anchoredMatcher(patterns: readonly string[], atEnd: boolean, words: boolean): MultiMatcher {
  const { next, out } = buildTrie(patterns, atEnd);
  return {
    size: patterns.length,
    test(text: string): boolean {
      const n = text.length;
      let node = 0;
      for (let k = 0; k < n; k++) {
        const to = next[node]!.get(text.charCodeAt(atEnd ? n - 1 - k : k));
        if (to === undefined) return false;
        node = to;
        if (out[node] !== undefined) {
          if (!words) return true;
          // Pattern length k + 1, at the start or the end of the text.
          if (atEnd ? onWordBoundaries(text, n - 1 - k, n - 1) : onWordBoundaries(text, 0, k)) return true;
        }
      }
      return false;
    },
  };
}

/**
 * Build a matcher for `patterns`. `position` anchors a match at the start or end of the text;
 * `words` requires each match to sit on word boundaries like regex `\b` (so `Bolt` does not
 * match inside `Boltzmann`).
 */
/**
 * A matcher for `patterns`, built on its first test: a long list's automaton takes tens of
 * milliseconds and megabytes (bad user agents, backdoor paths, web attack needles), and a
 * scenario or classifier for a log this host does not have never needs it.
 */
export function createMultiMatcher(
  patterns: readonly string[],
  opts: { position?: PatternPosition; words?: boolean } = {},
): MultiMatcher {
  const list = [...patterns];
  const options = { ...opts };
  let built: MultiMatcher | undefined;
  return {
    size: list.length,
    test: (text: string): boolean => (built ??= buildMultiMatcher(list, options)).test(text),
  };
}

function buildMultiMatcher(
  patterns: readonly string[],
  opts: { position?: PatternPosition; words?: boolean },
): MultiMatcher {
  const position = opts.position ?? 'anywhere';
  const words = opts.words ?? false;
  if (position !== 'anywhere') return anchoredMatcher(patterns, position === 'end', words);
  const { next, fail, out, order } = buildAutomaton(patterns);
  const size = patterns.length;
  const nodes = next.length;
  const terminal = new Uint8Array(nodes);
  for (let i = 0; i < nodes; i++) if (out[i] !== undefined) terminal[i] = 1;

  const alpha = alphabetOf(patterns);
  const width = alpha.size;
  if (nodes * width > MAX_TABLE_CELLS) {
    // Huge lists: walk failure links over per-node maps instead of a table.
    return {
      size,
      test(text: string): boolean {
        let node = 0;
        const n = text.length;
        for (let i = 0; i < n; i++) {
          const c = text.charCodeAt(i);
          let to = next[node]!.get(c);
          while (to === undefined && node !== 0) {
            node = fail[node]!;
            to = next[node]!.get(c);
          }
          node = to ?? 0;
          if (terminal[node] === 1) {
            if (!words) return true;
            for (const len of out[node]!) if (onWordBoundaries(text, i - len + 1, i)) return true;
          }
        }
        return false;
      },
    };
  }
  // DFA: delta(node, class) = trie child, else delta(fail(node), class); BFS order makes the
  // failure target's row complete before it is read.
  const delta = new Int32Array(nodes * width);
  const classChar: number[] = new Array<number>(width).fill(-1);
  for (let c = 0; c < 128; c++) if (alpha.ascii[c] !== 0) classChar[alpha.ascii[c]!] = c;
  for (const [c, cls] of alpha.high) classChar[cls] = c;
  for (const node of order) {
    const row = node * width;
    const failRow = fail[node]! * width;
    const trans = next[node]!;
    for (let cls = 1; cls < width; cls++) {
      const child = trans.get(classChar[cls]!);
      delta[row + cls] = child !== undefined ? child : node === 0 ? 0 : delta[failRow + cls]!;
    }
  }
  // The scanned table holds row offsets (node × width), and ~offset for nodes where a pattern
  // ends: one read and one sign test per character.
  const table = new Int32Array(nodes * width);
  for (let i = 0; i < table.length; i++) {
    const to = delta[i]!;
    table[i] = terminal[to] === 1 ? ~(to * width) : to * width;
  }
  const { ascii, high } = alpha;
  const hasHigh = high.size > 0;
  return {
    size,
    test(text: string): boolean {
      let row = 0;
      // Length read once: strings of many representations make each `.length` a generic load.
      const n = text.length;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        row = table[row + (c < 128 ? ascii[c]! : hasHigh ? (high.get(c) ?? 0) : 0)]!;
        if (row < 0) {
          row = ~row;
          if (!words) return true;
          for (const len of out[row / width]!) if (onWordBoundaries(text, i - len + 1, i)) return true;
        }
      }
      return false;
    },
  };
}
