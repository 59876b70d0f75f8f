import ipaddr from 'ipaddr.js';
import type { EcsEvent } from '../../../core/event.js';
import { createMultiMatcher } from './aho-corasick.js';
import { loadDataFile } from './data-file.js';
import { applyTransform, TRANSFORMS, type TransformName } from './transforms.js';

/**
 * Declarative Sigma-style filters compiled to closures once at load time: no expression
 * language, no eval, so a scenario file cannot run code. Keys of a map are ANDed; a list of
 * values is ORed (ANDed with `|all`); `any`, `all`, `not` combine sub-filters.
 *
 * @example
 * { 'event.dataset': 'sshd', 'event.outcome': 'failure', 'url.original|normalize|contains': ['<script', 'alert('] }
 */
export interface MatchContext {
  event: EcsEvent;
  /** Per-event cache of transformed field values, shared by every scenario that reads them. */
  cache: Map<string, string> | undefined;
}

export type Predicate = (ctx: MatchContext) => boolean;

export interface FilterIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

export interface CompiledFilter {
  readonly test: Predicate;
  /** Same as `test` minus the pinned `event.dataset` check, for callers that dispatch on it. */
  readonly testDispatched: Predicate;
  /** `event.dataset` values the filter requires, when it pins them; used to dispatch lines. */
  readonly datasets: readonly string[] | undefined;
}

export interface FilterCompileOptions {
  /** Directories searched, in order, for `|in_file` lists. */
  readonly dataDirs: readonly string[];
}

const OPERATORS = [
  'eq',
  'contains',
  'startswith',
  'endswith',
  're',
  'cidr',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
] as const;
type Operator = (typeof OPERATORS)[number];
const FLAGS = ['all', 'in_file', 'words'] as const;
type Flag = (typeof FLAGS)[number];
const COMBINATORS = new Set(['any', 'all', 'not']);
const MODIFIER_HINT = `modifiers: transforms ${TRANSFORMS.join(', ')}; operators ${OPERATORS.join(', ')}; flags ${FLAGS.join(', ')}`;

type Scalar = string | number | boolean;
type Path = readonly (string | number)[];

class CompileError extends Error {
  constructor(
    readonly path: Path,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read the field after transforms; arrays (e.g. `event.category`) yield every element. */
function readField(
  ctx: MatchContext,
  field: string,
  chain: readonly TransformName[],
  cacheKey: string,
): Scalar | readonly string[] | undefined {
  const raw = ctx.event[field];
  if (raw === undefined || chain.length === 0) return raw;
  if (typeof raw !== 'string') {
    if (Array.isArray(raw)) return raw.map((s: string) => chain.reduce((acc, t) => applyTransform(t, acc), s));
    return chain.reduce((acc, t) => applyTransform(t, acc), String(raw));
  }
  let cache = ctx.cache;
  if (cache === undefined) cache = ctx.cache = new Map();
  let v = cache.get(cacheKey);
  if (v === undefined) {
    v = raw;
    for (const t of chain) v = applyTransform(t, v);
    cache.set(cacheKey, v);
  }
  return v;
}

function parseRegex(src: string, path: Path): RegExp {
  let flags = '';
  let body = src;
  if (body.startsWith('(?i)')) {
    flags = 'i';
    body = body.slice(4);
  }
  try {
    return new RegExp(body, flags);
  } catch (err) {
    throw new CompileError(
      path,
      `invalid regular expression: ${(err as Error).message}`,
      'JavaScript RegExp syntax; `(?i)` prefix for case-insensitive',
    );
  }
}

type StringTest = (s: string) => boolean;

function compileStringTest(
  op: Operator,
  flags: ReadonlySet<Flag>,
  values: readonly Scalar[],
  lower: boolean,
  path: Path,
  opts: FilterCompileOptions,
): StringTest {
  let patterns: string[];
  if (flags.has('in_file')) {
    patterns = [];
    for (const v of values) {
      if (typeof v !== 'string') throw new CompileError(path, '`|in_file` takes a file name or a list of file names');
      try {
        patterns.push(...loadDataFile(v, opts.dataDirs));
      } catch {
        throw new CompileError(
          path,
          `data file ${v} not found`,
          `put it under rules/data/ (searched: ${opts.dataDirs.join(', ')})`,
        );
      }
    }
  } else {
    patterns = values.map((v) => String(v));
  }
  if (lower && op !== 're') patterns = patterns.map((p) => p.toLowerCase());
  const all = flags.has('all');
  const words = flags.has('words');
  if (words && op !== 'contains') throw new CompileError(path, '`|words` only goes with `|contains`');
  switch (op) {
    case 'eq': {
      if (all) return (s) => patterns.every((p) => p === s);
      if (patterns.length === 1) {
        const p = patterns[0]!;
        return (s) => s === p;
      }
      const set = new Set(patterns);
      return (s) => set.has(s);
    }
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (all) {
        const tests = patterns.map((p) => createMultiMatcher([p], { position: position(op), words }));
        return (s) => tests.every((m) => m.test(s));
      }
      if (patterns.length <= 4 && !words) {
        if (op === 'contains') return (s) => patterns.some((p) => s.includes(p));
        if (op === 'startswith') return (s) => patterns.some((p) => s.startsWith(p));
        return (s) => patterns.some((p) => s.endsWith(p));
      }
      const m = createMultiMatcher(patterns, { position: position(op), words });
      return (s) => m.test(s);
    }
    case 're': {
      const res = patterns.map((p) => parseRegex(p, path));
      return all ? (s) => res.every((r) => r.test(s)) : (s) => res.some((r) => r.test(s));
    }
    case 'cidr': {
      const ranges = patterns.map((p) => {
        try {
          return p.includes('/')
            ? ipaddr.parseCIDR(p)
            : ([ipaddr.parse(p), ipaddr.parse(p).kind() === 'ipv4' ? 32 : 128] as const);
        } catch {
          throw new CompileError(path, `invalid CIDR ${p}`, 'like 10.0.0.0/8 or 2001:db8::/32');
        }
      });
      return (s) => {
        if (!ipaddr.isValid(s)) return false;
        let a = ipaddr.parse(s);
        if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
        return ranges.some(([r, bits]) => r.kind() === a.kind() && a.match(r, bits));
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const nums = values.map((v) => {
        const n = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(n)) throw new CompileError(path, `\`|${op}\` needs a number, got ${String(v)}`);
        return n;
      });
      const cmp =
        op === 'gt'
          ? (a: number, b: number) => a > b
          : op === 'gte'
            ? (a: number, b: number) => a >= b
            : op === 'lt'
              ? (a: number, b: number) => a < b
              : (a: number, b: number) => a <= b;
      return (s) => {
        if (s === '') return false;
        const n = Number(s);
        return Number.isFinite(n) && (all ? nums.every((b) => cmp(n, b)) : nums.some((b) => cmp(n, b)));
      };
    }
    case 'exists':
      throw new CompileError(path, 'internal: exists is not a string test');
  }
}

function position(op: Operator): 'anywhere' | 'start' | 'end' {
  return op === 'startswith' ? 'start' : op === 'endswith' ? 'end' : 'anywhere';
}

function compileFieldKey(key: string, value: unknown, path: Path, opts: FilterCompileOptions): Predicate {
  const parts = key.split('|');
  const field = parts[0]!;
  if (field === '') throw new CompileError(path, 'empty field name', 'write `field|modifier: value`');
  const chain: TransformName[] = [];
  let op: Operator | undefined;
  const flags = new Set<Flag>();
  for (const mod of parts.slice(1)) {
    if ((TRANSFORMS as readonly string[]).includes(mod)) {
      if (op !== undefined) throw new CompileError(path, `transform |${mod} must come before the operator |${op}`);
      chain.push(mod as TransformName);
    } else if ((OPERATORS as readonly string[]).includes(mod)) {
      if (op !== undefined)
        throw new CompileError(
          path,
          `two operators (|${op} and |${mod})`,
          'one operator per key; use `all:` to combine',
        );
      op = mod as Operator;
    } else if ((FLAGS as readonly string[]).includes(mod)) {
      flags.add(mod as Flag);
    } else {
      throw new CompileError(path, `unknown modifier |${mod}`, MODIFIER_HINT);
    }
  }
  const operator: Operator = op ?? 'eq';
  const cacheKey = parts.slice(0, 1 + chain.length).join('|');

  if (operator === 'exists') {
    if (typeof value !== 'boolean') throw new CompileError(path, '`|exists` takes true or false');
    return (ctx) => {
      const v = ctx.event[field];
      const present = v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
      return present === value;
    };
  }
  const values: Scalar[] = [];
  if (isScalar(value)) values.push(value);
  else if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) values.push(...value);
  else throw new CompileError(path, 'value must be a string, number, boolean or a non-empty list of them');

  const lower = chain.includes('lower') || chain.includes('normalize');
  const test = compileStringTest(operator, flags, values, lower, path, opts);
  // Status codes and ports are numbers in events: compare them without building strings.
  const numeric =
    operator === 'eq' && !flags.has('in_file') && !flags.has('all') && values.every((x) => typeof x === 'number')
      ? new Set(values as number[])
      : undefined;
  return (ctx) => {
    const v = readField(ctx, field, chain, cacheKey);
    if (v === undefined) return false;
    if (typeof v === 'string') return test(v);
    if (numeric !== undefined && typeof v === 'number') return numeric.has(v);
    if (Array.isArray(v)) {
      for (const s of v as readonly string[]) if (test(s)) return true;
      return false;
    }
    return test(String(v));
  };
}

function compileNode(spec: unknown, path: Path, opts: FilterCompileOptions, skipDataset = false): Predicate {
  if (!isPlainObject(spec))
    throw new CompileError(
      path,
      'a filter is a map of `field|modifiers: value` entries',
      'e.g. { event.dataset: sshd, event.outcome: failure }',
    );
  const preds: Predicate[] = [];
  const keys = Object.keys(spec);
  if (keys.length === 0) throw new CompileError(path, 'empty filter matches everything', 'name at least one field');
  for (const key of keys) {
    const value = spec[key];
    const sub = [...path, key];
    // The engine only hands a scenario events of its pinned datasets: no need to test again.
    if (skipDataset && key === 'event.dataset') continue;
    if (COMBINATORS.has(key)) {
      if (key === 'not') {
        const inner = compileNode(value, sub, opts);
        preds.push((ctx) => !inner(ctx));
        continue;
      }
      if (!Array.isArray(value) || value.length === 0)
        throw new CompileError(sub, `\`${key}\` takes a non-empty list of filters`);
      const inner = value.map((v, i) => compileNode(v, [...sub, i], opts));
      preds.push(key === 'any' ? (ctx) => inner.some((p) => p(ctx)) : (ctx) => inner.every((p) => p(ctx)));
      continue;
    }
    preds.push(compileFieldKey(key, value, sub, opts));
  }
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0]!;
  if (preds.length === 2) {
    const [a, b] = preds as [Predicate, Predicate];
    return (ctx) => a(ctx) && b(ctx);
  }
  return (ctx) => {
    for (const p of preds) if (!p(ctx)) return false;
    return true;
  };
}

function pinnedDatasets(spec: unknown): string[] | undefined {
  if (!isPlainObject(spec)) return undefined;
  const v = spec['event.dataset'];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

/** Compile a filter; problems come back as issues with the path of the offending key. */
export function compileFilter(
  spec: unknown,
  opts: FilterCompileOptions,
  path: Path = [],
): { filter?: CompiledFilter; issues: FilterIssue[] } {
  try {
    const test = compileNode(spec, path, opts);
    const datasets = pinnedDatasets(spec);
    const testDispatched = datasets === undefined ? test : compileNode(spec, path, opts, true);
    return { filter: { test, testDispatched, datasets }, issues: [] };
  } catch (err) {
    if (err instanceof CompileError) {
      return { issues: [{ path: err.path, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }] };
    }
    throw err;
  }
}
