import type { EcsEvent } from '../../../core/event.js';
import type { FilterCompileOptions } from './compile-filter.js';
import { loadDataEntries } from './data-file.js';
import { compileStringTest, type Flag, type Operator, type Path, type StringTest } from './string-test.js';
import { applyTransform, type TransformName } from './transforms.js';

/**
 * Which entry of a filter's `|in_file` lists an event matched, so an explanation or a label can
 * name it ("matches the exploit of CVE-2020-5902 (F5 BIG-IP TMUI)"). The filter only answers
 * yes or no (one automaton pass, cached verdicts); this runs when a detection fires, rarely, so
 * it tests the entries one by one, with the same transforms and operator as the filter key.
 */
export interface ListKey {
  readonly field: string;
  /** Label of the first entry matching the event's value (the pattern when unlabelled), if any. */
  find(event: EcsEvent): string | undefined;
}

export interface ListKeySpec {
  readonly field: string;
  readonly chain: readonly TransformName[];
  readonly operator: Operator;
  readonly flags: ReadonlySet<Flag>;
  /** Whether the chain lower-cases values, so patterns are compared lower-cased too. */
  readonly lower: boolean;
  /** The list file names the key reads. */
  readonly files: readonly string[];
}

interface Compiled {
  readonly tests: readonly StringTest[];
  readonly names: readonly string[];
}

/**
 * A list key's entry finder. Per-entry tests are built on first use: most scenarios never ask
 * which entry matched, and a 600-entry list should not cost 600 closures for nothing.
 */
export function createListKey(spec: ListKeySpec, path: Path, opts: FilterCompileOptions): ListKey {
  // `|all` asks every pattern to match: the first entry is then as good an answer as any.
  const flags = new Set([...spec.flags].filter((f) => f !== 'in_file' && f !== 'all'));
  let compiled: Compiled | undefined;
  const compile = (): Compiled => {
    const entries = spec.files.flatMap((f) => loadDataEntries(f, opts.dataDirs));
    return {
      tests: entries.map((e) => compileStringTest(spec.operator, flags, [e.pattern], spec.lower, path, opts)),
      names: entries.map((e) => e.label ?? e.pattern),
    };
  };
  const findIn = (value: string): string | undefined => {
    compiled ??= compile();
    let v = value;
    for (const t of spec.chain) v = applyTransform(t, v);
    for (let i = 0; i < compiled.tests.length; i++) if (compiled.tests[i]!(v)) return compiled.names[i];
    return undefined;
  };
  return {
    field: spec.field,
    find(event) {
      const raw = event[spec.field];
      if (typeof raw === 'string') return findIn(raw);
      if (typeof raw === 'number' || typeof raw === 'boolean') return findIn(String(raw));
      if (Array.isArray(raw)) {
        for (const item of raw) {
          const found = typeof item === 'string' ? findIn(item) : undefined;
          if (found !== undefined) return found;
        }
      }
      return undefined;
    },
  };
}

/** The first of `keys` on `field` that names an entry the event matched (filter order). */
export function matchedEntry(keys: readonly ListKey[], field: string, event: EcsEvent): string | undefined {
  for (const k of keys) {
    if (k.field !== field) continue;
    const found = k.find(event);
    if (found !== undefined) return found;
  }
  return undefined;
}
