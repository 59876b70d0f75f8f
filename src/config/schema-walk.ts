import { z } from 'zod';
import { hintRegistry } from './hint-registry.js';

type Schema = z.core.$ZodType;
type AnyDef = { type: string } & Record<string, unknown>;

const defOf = (s: Schema): AnyDef => s._zod.def as unknown as AnyDef;
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function literalValues(s: Schema): readonly unknown[] {
  for (const w of unwrap(s, undefined)) {
    const d = defOf(w);
    if (d.type === 'literal') return (d.values as unknown[]) ?? [];
  }
  return [];
}

function objectShape(chain: readonly Schema[]): Record<string, Schema> | undefined {
  for (const s of chain) {
    const d = defOf(s);
    if (d.type === 'object') return d.shape as Record<string, Schema>;
  }
  return undefined;
}

/** Pick the union member the value was meant for: by discriminator, else by kind of value. */
function pickOption(d: AnyDef, value: unknown): Schema | undefined {
  const options = (d.options as Schema[]) ?? [];
  const disc = d.discriminator as string | undefined;
  if (disc !== undefined && value !== null && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[disc];
    for (const opt of options) {
      const shape = objectShape(unwrap(opt, undefined));
      const field = shape?.[disc];
      if (field && literalValues(field).includes(tag)) return opt;
    }
    return undefined;
  }
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const wanted: Record<string, string> = { object: 'object', array: 'array', string: 'string', number: 'number' };
  return (
    options.find((o) => unwrap(o, undefined).some((w) => defOf(w).type === wanted[kind])) ??
    (disc === undefined ? options[0] : undefined)
  );
}

/** The schema and every wrapper inside it (optional, default, pipe input...) down to the core type. */
export function unwrap(schema: Schema, value: unknown): Schema[] {
  const out: Schema[] = [];
  let cur: Schema | undefined = schema;
  for (let i = 0; cur && i < 32; i++) {
    out.push(cur);
    const d = defOf(cur);
    if (WRAPPERS.has(d.type)) cur = d.innerType as Schema;
    else if (d.type === 'pipe') cur = d.in as Schema;
    else if (d.type === 'lazy') cur = (d.getter as () => Schema)();
    else if (d.type === 'union') cur = pickOption(d, value);
    else cur = undefined;
  }
  return out;
}

/**
 * The chain of schemas that validated the value at `path` (outermost first), found by
 * walking the schema alongside the data. Undefined when the path leaves the schema.
 */
export function schemaAt(root: Schema, path: readonly PropertyKey[], data: unknown): Schema[] | undefined {
  let value = data;
  let chain = unwrap(root, value);
  for (const seg of path) {
    const inner = chain[chain.length - 1];
    if (!inner) return undefined;
    const d = defOf(inner);
    let next: Schema | undefined;
    if (d.type === 'object') next = (d.shape as Record<string, Schema>)[String(seg)];
    else if (d.type === 'array') next = d.element as Schema;
    else if (d.type === 'record') next = d.valueType as Schema;
    if (!next) return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
    chain = unwrap(next, value);
  }
  return chain;
}

/** What the config reference knows about a node: registered hint, examples, allowed keys. */
export interface SchemaInfo {
  readonly hint?: string;
  readonly example?: unknown;
  readonly keys?: readonly string[];
}

export function schemaInfo(chain: readonly Schema[] | undefined): SchemaInfo {
  if (!chain) return {};
  let hint: string | undefined;
  let example: unknown;
  for (const s of chain) {
    hint ??= hintRegistry.get(s)?.hint;
    const examples = z.globalRegistry.get(s)?.examples;
    if (example === undefined && Array.isArray(examples)) example = examples[0];
  }
  const shape = objectShape(chain);
  return {
    ...(hint === undefined ? {} : { hint }),
    ...(example === undefined ? {} : { example }),
    ...(shape ? { keys: Object.keys(shape) } : {}),
  };
}
