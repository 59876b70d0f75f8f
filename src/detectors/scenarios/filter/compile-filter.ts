import type { EcsEvent } from '../../../core/event.js';
import { cacheSlot, FieldCache, internField } from './field-cache.js';
import { loadDataFile } from './data-file.js';
import { createListKey, type ListKey } from './matched-entry.js';
import { applyTransform, TRANSFORMS, type TransformName } from './transforms.js';
import { fieldVerdicts, VERDICT_MAX_LENGTH } from './verdict-cache.js';
import {
  CompileError,
  compileStringTest,
  FLAGS,
  type Flag,
  OPERATORS,
  type Operator,
  type Path,
  type Scalar,
} from './string-test.js';

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
  /**
   * Per-event cache of transformed field values, shared by every scenario that reads them.
   * Callers outside the engine may pass `undefined` or a fresh `Map` (the former type): either
   * is replaced by a FieldCache on first use.
   */
  cache: FieldCache | Map<string, string> | undefined;
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
  /**
   * `event.action` values one of which a matching event must carry (as a string), when the
   * filter says so: the engine's second dispatch level (see `pinnedActions`).
   */
  readonly actions: ReadonlySet<string> | undefined;
  /**
   * Canonical text of the filter (keys sorted, data directories included): two filters with the
   * same key match the same events, so an engine evaluates them once per event.
   */
  readonly key: string;
  /** The `|in_file` keys (outside `not`), in filter order: what names the entry an event matched. */
  readonly lists: readonly ListKey[];
}

export interface FilterCompileOptions {
  /** Directories searched, in order, for `|in_file` lists. */
  readonly dataDirs: readonly string[];
}

const COMBINATORS = new Set(['any', 'all', 'not']);
const MODIFIER_HINT = `modifiers: transforms ${TRANSFORMS.join(', ')}; operators ${OPERATORS.join(', ')}; flags ${FLAGS.join(', ')}`;

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function transformAll(s: string, chain: readonly TransformName[]): string {
  let v = s;
  for (let i = 0; i < chain.length; i++) v = applyTransform(chain[i]!, v);
  return v;
}

/** Arrays and numbers, uncached. Kept apart: no closure in `readField`, which V8 would give a context per call. */
function transformOther(raw: number | boolean | readonly string[], chain: readonly TransformName[]): string | string[] {
  if (Array.isArray(raw)) return (raw as readonly string[]).map((s) => transformAll(s, chain));
  return transformAll(String(raw), chain);
}

/** The context's cache, serving its current event (created when the caller passed none). */
function cacheOf(ctx: MatchContext): FieldCache {
  let cache = ctx.cache;
  if (!(cache instanceof FieldCache)) cache = ctx.cache = new FieldCache();
  return cache.use(ctx.event);
}

/** Read the field after transforms; arrays (e.g. `event.category`) yield every element. */
function readField(
  ctx: MatchContext,
  field: string,
  chain: readonly TransformName[],
  rawSlot: number,
  slot: number,
): Scalar | readonly string[] | undefined {
  const cache = cacheOf(ctx);
  const raw = cache.raw(rawSlot, field);
  if (raw === undefined || chain.length === 0) return raw;
  if (typeof raw !== 'string') return transformOther(raw, chain);
  let v = cache.get(slot);
  if (v === undefined) {
    v = transformAll(raw, chain);
    cache.set(slot, v);
  }
  return v;
}

/** A field key's parts: `url.original|urldecode|lower|contains|in_file`. */
interface FieldKey {
  readonly field: string;
  readonly chain: readonly TransformName[];
  readonly operator: Operator;
  readonly flags: ReadonlySet<Flag>;
}

function parseFieldKey(key: string, path: Path): FieldKey {
  const parts = key.split('|');
  const field = internField(parts[0]!);
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
  return { field, chain, operator: op ?? 'eq', flags };
}

function lowersValues(chain: readonly TransformName[]): boolean {
  return chain.includes('lower') || chain.includes('normalize');
}

function compileFieldKey(key: string, value: unknown, path: Path, opts: FilterCompileOptions): Predicate {
  const { field, chain, operator, flags } = parseFieldKey(key, path);
  const slot = cacheSlot([field, ...chain].join('|'));
  const rawSlot = cacheSlot(field);

  if (operator === 'exists') {
    if (typeof value !== 'boolean') throw new CompileError(path, '`|exists` takes true or false');
    return (ctx) => {
      const v = cacheOf(ctx).raw(rawSlot, field);
      const present = v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
      return present === value;
    };
  }
  const values: Scalar[] = [];
  if (isScalar(value)) values.push(value);
  else if (Array.isArray(value) && value.length > 0 && value.every(isScalar)) values.push(...value);
  else throw new CompileError(path, 'value must be a string, number, boolean or a non-empty list of them');

  const test = compileStringTest(operator, flags, values, lowersValues(chain), path, opts);
  // Status codes and ports are numbers in events: compare them without building strings.
  const numeric =
    operator === 'eq' && !flags.has('in_file') && !flags.has('all') && values.every((x) => typeof x === 'number')
      ? new Set(values as number[])
      : undefined;
  const evaluate: Predicate = (ctx) => {
    const v = readField(ctx, field, chain, rawSlot, slot);
    if (v === undefined) return false;
    if (typeof v === 'string') return test(v);
    if (numeric !== undefined && typeof v === 'number') return numeric.has(v);
    if (Array.isArray(v)) {
      const list = v as readonly string[];
      for (let i = 0; i < list.length; i++) if (test(list[i]!)) return true;
      return false;
    }
    return test(String(v));
  };
  // Cheap tests (one comparison) run directly; decoding, lists and regexes go through a cache
  // of verdicts per raw value, since the result depends on nothing else.
  const costly =
    chain.length > 0 ||
    flags.has('in_file') ||
    flags.has('all') ||
    flags.has('words') ||
    operator === 're' ||
    operator === 'cidr' ||
    ((operator === 'contains' || operator === 'endswith' || operator === 'startswith') && values.length > 4);
  if (!costly) return evaluate;
  const table = fieldVerdicts(field);
  const index = table.addKey();
  return (ctx) => {
    const cache = cacheOf(ctx);
    const raw = cache.raw(rawSlot, field);
    if (typeof raw !== 'string' || raw.length > VERDICT_MAX_LENGTH) return evaluate(ctx);
    let rec = cache.record(table.slot);
    if (rec === undefined) {
      rec = table.record(raw);
      cache.setRecord(table.slot, rec);
    }
    const known = index < rec.length ? rec[index]! : 0;
    if (known !== 0) return known === 2;
    const r = evaluate(ctx);
    while (rec.length <= index) rec.push(0);
    rec[index] = r ? 2 : 1;
    return r;
  };
}

/**
 * Compiled field keys by canonical text: the same key in several scenarios (or in a filter's
 * dispatched and undispatched forms) is one predicate with one verdict cache.
 */
const interned = new Map<string, Predicate>();

function internedFieldKey(key: string, value: unknown, path: Path, opts: FilterCompileOptions): Predicate {
  const id = `${key}\u0000${canonical(value)}\u0000${JSON.stringify(opts.dataDirs)}`;
  let p = interned.get(id);
  if (p === undefined) {
    p = compileFieldKey(key, value, path, opts);
    interned.set(id, p);
  }
  return p;
}

/**
 * Compile one filter map. `lists` collects the `|in_file` keys whose entries can name a match;
 * keys under `not` are left out, since an event that fires matched none of their entries.
 */
function compileNode(
  spec: unknown,
  path: Path,
  opts: FilterCompileOptions,
  lists: ListKey[] | undefined,
  skipDataset = false,
): Predicate {
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
    if (skipDataset && (key === 'event.dataset' || key === DATASET_FILES)) continue;
    if (COMBINATORS.has(key)) {
      if (key === 'not') {
        const inner = compileNode(value, sub, opts, undefined);
        preds.push((ctx) => !inner(ctx));
        continue;
      }
      if (!Array.isArray(value) || value.length === 0)
        throw new CompileError(sub, `\`${key}\` takes a non-empty list of filters`);
      const inner = value.map((v, i) => compileNode(v, [...sub, i], opts, lists));
      preds.push(key === 'any' ? anyOf(inner) : allOf(inner));
      continue;
    }
    preds.push(internedFieldKey(key, value, sub, opts));
    if (lists !== undefined) {
      const k = parseFieldKey(key, sub);
      if (k.flags.has('in_file')) {
        const files = (Array.isArray(value) ? value : [value]) as string[];
        lists.push(createListKey({ ...k, lower: lowersValues(k.chain), files }, sub, opts));
      }
    }
  }
  if (preds.length === 0) return () => true;
  return allOf(preds);
}

function anyOf(preds: readonly Predicate[]): Predicate {
  if (preds.length === 1) return preds[0]!;
  if (preds.length === 2) {
    const [a, b] = preds as [Predicate, Predicate];
    return (ctx) => a(ctx) || b(ctx);
  }
  return (ctx) => {
    for (let i = 0; i < preds.length; i++) if (preds[i]!(ctx)) return true;
    return false;
  };
}

function allOf(preds: readonly Predicate[]): Predicate {
  if (preds.length === 1) return preds[0]!;
  if (preds.length === 2) {
    const [a, b] = preds as [Predicate, Predicate];
    return (ctx) => a(ctx) && b(ctx);
  }
  return (ctx) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i]!(ctx)) return false;
    return true;
  };
}

/** JSON with object keys sorted: ANDed keys commute, so their order does not change a filter. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isPlainObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The key naming a filter's datasets through list files (`rules/data/*.txt`, one per line). */
const DATASET_FILES = 'event.dataset|in_file';

/**
 * The datasets a filter pins at its top level, for the engine's dispatch index: `event.dataset`
 * as a name or a list, or `event.dataset|in_file` naming list files (a group of datasets several
 * scenarios share, kept in one file); both together pin the datasets in both.
 */
function pinnedDatasets(spec: unknown, opts: FilterCompileOptions): string[] | undefined {
  if (!isPlainObject(spec)) return undefined;
  const v = spec['event.dataset'];
  const named =
    typeof v === 'string'
      ? [v]
      : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')
        ? (v as string[])
        : undefined;
  const files = spec[DATASET_FILES];
  if (files === undefined) return named;
  const names =
    typeof files === 'string'
      ? [files]
      : Array.isArray(files) && files.every((x) => typeof x === 'string')
        ? (files as string[])
        : [];
  if (names.length === 0) return named;
  const listed = new Set(names.flatMap((f) => loadDataFile(f, opts.dataDirs)));
  return named === undefined ? [...listed] : named.filter((d) => listed.has(d));
}

/**
 * The `event.action` values a filter requires, or undefined when it requires none: a plain
 * `event.action` key (equality: the values as strings), the union over an `any` whose every
 * branch requires some, and what every required `all` branch and the key itself have in
 * common. `not` requires nothing. An event whose action is a string outside this set cannot
 * match (each `event.action` test compares the string itself), so the engine skips the filter.
 */
function pinnedActions(spec: unknown): Set<string> | undefined {
  if (!isPlainObject(spec)) return undefined;
  let pinned: Set<string> | undefined;
  const narrow = (s: Set<string> | undefined): void => {
    if (s !== undefined) pinned = pinned === undefined ? s : new Set([...pinned].filter((a) => s.has(a)));
  };
  const v = spec['event.action'];
  if (isScalar(v)) narrow(new Set([String(v)]));
  else if (Array.isArray(v) && v.length > 0 && v.every(isScalar)) narrow(new Set(v.map((x) => String(x))));
  const any = spec.any;
  if (Array.isArray(any) && any.length > 0) {
    const union = new Set<string>();
    let every = true;
    for (const branch of any) {
      const s = pinnedActions(branch);
      if (s === undefined) every = false;
      else for (const a of s) union.add(a);
    }
    if (every) narrow(union);
  }
  const all = spec.all;
  if (Array.isArray(all)) for (const branch of all) narrow(pinnedActions(branch));
  return pinned;
}

/** Compile a filter; problems come back as issues with the path of the offending key. */
export function compileFilter(
  spec: unknown,
  opts: FilterCompileOptions,
  path: Path = [],
): { filter?: CompiledFilter; issues: FilterIssue[] } {
  try {
    const lists: ListKey[] = [];
    const test = compileNode(spec, path, opts, lists);
    const datasets = pinnedDatasets(spec, opts);
    const testDispatched = datasets === undefined ? test : compileNode(spec, path, opts, undefined, true);
    const actions = pinnedActions(spec);
    const key = `${canonical(spec)}\u0000${JSON.stringify(opts.dataDirs)}`;
    return { filter: { test, testDispatched, datasets, actions, key, lists }, issues: [] };
  } catch (err) {
    if (err instanceof CompileError) {
      return { issues: [{ path: err.path, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }] };
    }
    throw err;
  }
}
