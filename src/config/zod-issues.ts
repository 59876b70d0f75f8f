import type { z } from 'zod';
import type { Finding } from './finding.js';
import { oneOfHint, unknownKeyHint } from './hints.js';
import { type SchemaInfo, schemaAt, schemaInfo } from './schema-walk.js';

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

/** How a value reads in a message: `"sshdd"`, `3`, `a list`, `a mapping`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys',
  record: 'a mapping of keys',
};

const TYPE_HINT: Record<string, string> = {
  string: 'write text; quote it if YAML reads it as something else, e.g. "1.0"',
  number: 'write a plain number without quotes',
  int: 'write a whole number without quotes',
  boolean: 'write true or false',
  array: 'write a YAML list: one `- item` per line, or [a, b]',
  object: 'write `key: value` lines indented under this key',
  record: 'write `key: value` lines indented under this key',
};

function exampleText(v: unknown): string {
  if (typeof v === 'string') return /^[\w./:@-]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** Name of the thing at `path` for messages: its key, or its list's key for an item. */
function nounOf(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg.replace(/_/g, ' ');
  }
  return 'value';
}

function lastKey(path: Path): string {
  const seg = path[path.length - 1];
  return seg === undefined ? '' : String(seg);
}

function fallbackHint(info: SchemaInfo, key: string, expected?: string): string {
  if (info.hint) return info.hint;
  if (info.example !== undefined && key !== '') return `for example ${key}: ${exampleText(info.example)}`;
  return (expected && TYPE_HINT[expected]) ?? 'see the config reference: `leuko config schema`';
}

/**
 * Turn one zod issue into findings with a message and a fix. Hints come from what the schema
 * knows at that path (registered hint, examples, allowed keys), so each field's help lives
 * next to its definition.
 */
export function findingsFromZodIssue(issue: Issue, root: z.core.$ZodType, data: unknown): Finding[] {
  const path = issue.path as Path;
  const input = (issue as { input?: unknown }).input;
  const info = () => schemaInfo(schemaAt(root, path, data));
  const err = (message: string, hint: string, p: Path = path, target: 'key' | 'value' = 'key'): Finding => ({
    path: p,
    target,
    message,
    hint,
    severity: 'error',
  });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = info().keys ?? [];
      return issue.keys.map((k) => err(`unknown key "${k}"`, unknownKeyHint(k, known), [...path, k], 'key'));
    }
    case 'invalid_type': {
      const key = lastKey(path);
      const i = info();
      if (input === undefined) {
        const hint =
          i.example !== undefined ? `add ${key}: ${exampleText(i.example)}` : fallbackHint(i, key, issue.expected);
        return [err(`missing required key "${key}"`, hint)];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return [err(`expected ${expected}, got ${describeValue(input)}`, fallbackHint(i, key, issue.expected))];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      if (values.length === 1) return [err(`must be ${values[0]}, got ${describeValue(input)}`, `write ${values[0]}`)];
      return [err(`unknown ${nounOf(path)} ${describeValue(input)}`, oneOfHint(values, input))];
    }
    case 'invalid_union': {
      const u = issue as typeof issue & { discriminator?: string; options?: unknown[] };
      if (u.discriminator !== undefined) {
        const values = (u.options ?? []).map((v) => String(v));
        const item = nounOf(path.slice(0, -1)).replace(/s$/, '');
        const tag =
          input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[u.discriminator] : undefined;
        if (input === null || typeof input !== 'object' || Array.isArray(input)) {
          return [
            err(
              `expected a mapping, got ${describeValue(input)}`,
              `write ${u.discriminator}: ${values.join('|')} and its keys`,
              path.slice(0, -1),
            ),
          ];
        }
        if (tag === undefined) {
          return [
            err(
              `missing required key "${u.discriminator}"`,
              `add ${u.discriminator}: one of ${values.join(', ')}`,
              path.slice(0, -1),
            ),
          ];
        }
        return [err(`unknown ${item} ${u.discriminator} ${describeValue(tag)}`, oneOfHint(values, tag))];
      }
      const alternatives = [
        ...new Set(issue.errors.flatMap((e) => e.map((x) => (x.code === 'invalid_type' ? x.expected : undefined)))),
      ].filter((x): x is string => x !== undefined);
      const expected = alternatives.map((a) => EXPECTED[a] ?? a).join(' or ') || 'another kind of value';
      return [err(`expected ${expected}, got ${describeValue(input)}`, fallbackHint(info(), lastKey(path)))];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small
        ? (issue as { minimum: number | bigint }).minimum
        : (issue as { maximum: number | bigint }).maximum;
      const kind = issue.origin;
      let message: string;
      if (kind === 'string' && small && Number(bound) <= 1) message = 'must not be empty';
      else if (kind === 'array' || kind === 'set')
        message = `needs ${small ? 'at least' : 'at most'} ${bound} entr${Number(bound) === 1 ? 'y' : 'ies'}`;
      else if (kind === 'string') message = `must be ${small ? 'at least' : 'at most'} ${bound} characters`;
      else message = `must be ${small ? 'at least' : 'at most'} ${bound}, got ${describeValue(input)}`;
      const i = info();
      return [
        err(
          message,
          i.hint ??
            (kind === 'number' ? `use a number ${small ? '>=' : '<='} ${bound}` : fallbackHint(i, lastKey(path))),
        ),
      ];
    }
    case 'invalid_format': {
      const i = info();
      const hint = i.hint ?? (issue.pattern ? `must match ${issue.pattern}` : fallbackHint(i, lastKey(path)));
      return [err(`invalid ${nounOf(path)} ${describeValue(input)}`, hint)];
    }
    case 'invalid_key': {
      // A record key failed: report the key's own problem, pointing at the key.
      const inner = issue.issues[0];
      const chain = schemaAt(root, path.slice(0, -1), data);
      const keyType = chain
        ?.map((s) => s._zod.def as { type: string; keyType?: z.core.$ZodType })
        .find((d) => d.type === 'record')?.keyType;
      const hint = schemaInfo(keyType ? [keyType] : undefined).hint ?? inner?.message ?? 'rename the key';
      return [err(`invalid key ${describeValue(lastKey(path))}`, hint, path, 'key')];
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { hint?: unknown };
      const hint = typeof params.hint === 'string' ? params.hint : fallbackHint(info(), lastKey(path));
      return [err(issue.message, hint)];
    }
    default:
      return [err(issue.message, fallbackHint(info(), lastKey(path)))];
  }
}
