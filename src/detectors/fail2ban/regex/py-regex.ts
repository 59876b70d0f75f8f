import { type Node, PyRegexError, parsePyRegex } from './py-ast.js';
import { conditionalRefs, EmitError, emitJs } from './py-emit.js';

/** One match, shaped like Python's match object (what fail2ban reads from it). */
export interface PyMatch {
  readonly index: number;
  readonly end: number;
  /** Named groups; `undefined` when the group did not participate (Python's None). */
  readonly groups: Readonly<Record<string, string | undefined>>;
  /** Start and end of numbered group `n`, or undefined when it did not participate. */
  span(n: number): readonly [number, number] | undefined;
  /** Text of numbered group `n` (0: the whole match). */
  group(n: number): string | undefined;
}

/** A Python regular expression compiled to one or more JavaScript RegExps. */
export interface PyRegex {
  readonly source: string;
  /** The JavaScript sources (several when conditionals were expanded). */
  readonly js: readonly string[];
  readonly groupNames: readonly string[];
  /** A literal every match contains (checked with `includes` before running the RegExps). */
  readonly literal: string | undefined;
  search(text: string, from?: number): PyMatch | null;
}

export class RegexTranslationError extends Error {
  constructor(
    message: string,
    readonly pattern: string,
  ) {
    super(message);
    this.name = 'RegexTranslationError';
  }
}

const MAX_CONDITIONALS = 4;

/**
 * Translate a Python `re` pattern to JavaScript, keeping Python's matching semantics (see
 * `py-emit.ts` for what differs and how it is mapped).
 *
 * Conditionals `(?(g)yes|no)` have no JavaScript form: the pattern is emitted once per
 * assumed participation of each referenced group (group forced to take part and `yes`, or
 * forced out and `no`); a search runs every variant and keeps the leftmost match, the
 * "participates" variants first, as Python's backtracking would prefer them.
 *
 * @example
 * compilePyRegex('(?P<user>\\S+) from (?P<ip>\\d+\\.\\d+)$').search('root from 1.2\n')?.groups.ip // '1.2'
 * @throws RegexTranslationError naming the construct that cannot be expressed.
 */
export function compilePyRegex(
  pattern: string,
  opts: { multiline?: boolean; flags?: string; indices?: boolean } = {},
): PyRegex {
  const key = `${opts.multiline === true ? 'm' : '-'}${opts.indices === true ? 'd' : '-'}${opts.flags ?? ''}\u0000${pattern}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = compileUncached(pattern, opts);
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(key, hit);
  }
  return hit;
}

const cache = new Map<string, PyRegex>();
const MAX_CACHE = 4096;

function compileUncached(pattern: string, opts: { multiline?: boolean; flags?: string; indices?: boolean }): PyRegex {
  let parsed: ReturnType<typeof parsePyRegex>;
  try {
    parsed = parsePyRegex(pattern, opts.flags ?? '');
  } catch (e) {
    if (e instanceof PyRegexError) throw new RegexTranslationError(e.message, pattern);
    throw e;
  }
  const flags = parsed.flags;
  const refs = conditionalRefs(parsed.root);
  if (refs.length > MAX_CONDITIONALS) {
    throw new RegexTranslationError(`more than ${MAX_CONDITIONALS} conditional groups`, pattern);
  }
  const variants: RegExp[] = [];
  const sources: string[] = [];
  const n = refs.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const assume = new Map<string | number, boolean>();
    // mask 0 = every referenced group participates (preferred, tried first).
    refs.forEach((r, i) => {
      assume.set(r, (mask & (1 << i)) === 0);
    });
    let src: string;
    try {
      src = emitJs(parsed.root, {
        multiline: opts.multiline === true || flags.includes('m'),
        globalI: flags.includes('i'),
        globalS: flags.includes('s'),
        ascii: flags.includes('a'),
        assume,
      });
    } catch (e) {
      if (e instanceof EmitError) throw new RegexTranslationError(e.message, pattern);
      throw e;
    }
    let re: RegExp;
    try {
      // `d` (match indices) costs time on every match: only date templates need group spans.
      re = new RegExp(
        src,
        `${opts.indices === true ? 'd' : ''}gu${flags.includes('i') ? 'i' : ''}${flags.includes('s') ? 's' : ''}`,
      );
    } catch (e) {
      throw new RegexTranslationError(`JavaScript rejects the translation: ${(e as Error).message}`, pattern);
    }
    variants.push(re);
    sources.push(src);
  }
  const groupNames = [...parsed.groupNames.keys()];
  const literal = flags.includes('i') ? undefined : requiredLiteral(parsed.root);
  return {
    source: pattern,
    js: sources,
    groupNames,
    literal,
    search(text, from = 0) {
      if (literal !== undefined && !text.includes(literal, from)) return null;
      let best: RegExpExecArray | null = null;
      for (const re of variants) {
        re.lastIndex = from;
        const m = re.exec(text);
        if (m !== null && (best === null || m.index < best.index)) best = m;
      }
      if (best === null) return null;
      return new Match(best, groupNames);
    },
  };
}

class Match implements PyMatch {
  readonly index: number;
  readonly end: number;
  readonly groups: Record<string, string | undefined>;
  constructor(
    private readonly m: RegExpExecArray,
    names: readonly string[],
  ) {
    this.index = m.index;
    this.end = m.index + m[0].length;
    const g: Record<string, string | undefined> = {};
    const src = m.groups;
    for (const name of names) g[name] = src?.[name];
    this.groups = g;
  }
  span(k: number): readonly [number, number] | undefined {
    return this.m.indices?.[k] as readonly [number, number] | undefined;
  }
  group(k: number): string | undefined {
    return this.m[k];
  }
}

/**
 * The longest run of literal characters on the pattern's mandatory path (top-level sequence,
 * through plain groups), or undefined when there is none worth checking (under 3 chars).
 */
function requiredLiteral(root: Node): string | undefined {
  let best = '';
  let run = '';
  const close = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  const walk = (n: Node): void => {
    if (n.t === 'char') run += String.fromCodePoint(n.cp);
    else if (n.t === 'seq') n.items.forEach(walk);
    else if (n.t === 'group' && (n.kind === 'cap' || n.kind === 'nc') && !n.on && !n.off) {
      if (n.body.t === 'alt') close();
      else walk(n.body);
    } else if (n.t === 'group' && n.kind !== 'cap' && n.kind !== 'nc') {
      // Lookarounds consume nothing: they neither add to nor break the run's adjacency... but
      // what they test is not part of the match, so end the run.
      close();
    } else close();
  };
  walk(root);
  close();
  return best.length >= 3 ? best : undefined;
}
