import ipaddr from 'ipaddr.js';
import { createMultiMatcher } from './aho-corasick.js';
import type { FilterCompileOptions } from './compile-filter.js';
import { isLabelledList, loadDataFile, resolveDataFile } from './data-file.js';
import { createRegexListTest } from './regex-literal.js';

/**
 * The operators of filter keys (`field|transforms|operator|flags: values`) compiled to plain
 * string tests, and the compile error carrying the key path of a bad filter.
 */
export const OPERATORS = [
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
export type Operator = (typeof OPERATORS)[number];
export const FLAGS = ['all', 'in_file', 'words'] as const;
export type Flag = (typeof FLAGS)[number];

export type Scalar = string | number | boolean;
export type Path = readonly (string | number)[];

export class CompileError extends Error {
  constructor(
    readonly path: Path,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
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

export type StringTest = (s: string) => boolean;

export function compileStringTest(
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
      if (resolveDataFile(v, opts.dataDirs) === undefined)
        throw new CompileError(
          path,
          `data file ${v} not found`,
          `put it under rules/data/ (searched: ${opts.dataDirs.join(', ')})`,
        );
      try {
        patterns.push(...loadDataFile(v, opts.dataDirs));
      } catch (err) {
        const hint = isLabelledList(v) ? 'a `.tsv` list holds `pattern<TAB>label` lines' : undefined;
        throw new CompileError(path, (err as Error).message, hint);
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
        // Plain loops: a callback per call would allocate a closure on every event.
        if (op === 'contains')
          return (s) => {
            for (let i = 0; i < patterns.length; i++) if (s.includes(patterns[i]!)) return true;
            return false;
          };
        if (op === 'startswith')
          return (s) => {
            for (let i = 0; i < patterns.length; i++) if (s.startsWith(patterns[i]!)) return true;
            return false;
          };
        return (s) => {
          for (let i = 0; i < patterns.length; i++) if (s.endsWith(patterns[i]!)) return true;
          return false;
        };
      }
      const m = createMultiMatcher(patterns, { position: position(op), words });
      return (s) => m.test(s);
    }
    case 're': {
      const res = patterns.map((p) => parseRegex(p, path));
      if (all) return (s) => res.every((r) => r.test(s));
      if (res.length > 4) return createRegexListTest(res);
      return (s) => {
        for (let i = 0; i < res.length; i++) if (res[i]!.test(s)) return true;
        return false;
      };
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

export function position(op: Operator): 'anywhere' | 'start' | 'end' {
  return op === 'startswith' ? 'start' : op === 'endswith' ? 'end' : 'anywhere';
}
