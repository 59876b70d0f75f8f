import { type Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type ConfigPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Maps config paths (as zod reports them) back to where they are written in the YAML text. */
export interface YamlLocator {
  /**
   * Position of the node at `path`. A mapping entry is shown at its key (`format:` in
   * `format: sshdd`, the name the message uses) unless `target` is `value`; a list item at its
   * start. A path that is not in the text (a missing key) resolves to the nearest enclosing
   * node, which is where the user has to add it.
   */
  at(path: ConfigPath, target?: 'key' | 'value'): Position | undefined;
  /** Position of a character offset in the text. */
  offset(offset: number): Position;
  /** The config path of the innermost node written at `offset` (for syntax errors). */
  pathAt(offset: number): (string | number)[];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return typeof key === 'object' ? undefined : String(key);
}

export function createYamlLocator(doc: Document, lc: LineCounter): YamlLocator {
  const offset = (off: number): Position => {
    const p = lc.linePos(off);
    // LineCounter reports line 0 before the first newline has been seen.
    return { line: Math.max(1, p.line), column: Math.max(1, p.col) };
  };
  const startOf = (node: unknown): Position | undefined =>
    isNode(node) && node.range ? offset(node.range[0]) : undefined;
  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  return {
    offset,
    at(path, target = 'key') {
      let node: unknown = deref(doc.contents);
      let best = startOf(node) ?? { line: 1, column: 1 };
      for (let i = 0; i < path.length; i++) {
        const seg = path[i];
        const last = i === path.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((p) => keyText(p.key) === String(seg));
          if (!pair) return best;
          const keyPos = startOf(pair.key);
          if (keyPos) best = keyPos;
          if (last && target === 'key') return best;
          node = deref(pair.value);
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg];
          if (item === undefined) return best;
          node = deref(item);
        } else {
          return best;
        }
        const pos = startOf(node);
        if (pos) best = pos;
      }
      return best;
    },
    pathAt(off) {
      const path: (string | number)[] = [];
      let node: unknown = deref(doc.contents);
      const contains = (n: unknown): boolean =>
        isNode(n) && !!n.range && n.range[0] <= off && off <= Math.max(n.range[1], n.range[2]);
      for (let depth = 0; depth < 64; depth++) {
        if (isMap(node)) {
          const pair = node.items.find(
            (p) =>
              isPair(p) &&
              isNode(p.key) &&
              !!p.key.range &&
              p.key.range[0] <= off &&
              (contains(p.value) || contains(p.key) || (isNode(p.value) && p.value.range && off < p.value.range[0])),
          );
          const k = pair ? keyText(pair.key) : undefined;
          if (!pair || k === undefined) break;
          path.push(k);
          node = deref(pair.value);
        } else if (isSeq(node)) {
          const idx = node.items.findIndex((it) => contains(it));
          if (idx < 0) break;
          path.push(idx);
          node = deref(node.items[idx] as Node);
        } else break;
      }
      return path;
    },
  };
}

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** `['sources', 1, 'path']` -> `sources[1].path`; odd keys are quoted: `overrides["leuko/ssh-bf"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
