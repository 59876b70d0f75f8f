import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from './json-schema.js';

type Schema = Record<string, unknown>;

/** JSON Schema 2020-12 keywords with the JSON type each must have. */
const KEYWORDS: Record<string, (v: unknown) => boolean> = {
  $schema: (v) => v === 'https://json-schema.org/draft/2020-12/schema',
  $id: (v) => typeof v === 'string',
  title: (v) => typeof v === 'string',
  description: (v) => typeof v === 'string',
  examples: Array.isArray,
  default: () => true,
  const: () => true,
  enum: (v) => Array.isArray(v) && v.length > 0,
  type: (v) =>
    [v]
      .flat()
      .every((t) => ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'].includes(t as string)),
  properties: (v) => typeof v === 'object' && v !== null,
  required: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  additionalProperties: (v) => typeof v === 'boolean' || (typeof v === 'object' && v !== null),
  propertyNames: (v) => typeof v === 'object' && v !== null,
  items: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  oneOf: (v) => Array.isArray(v) && v.length > 0,
  anyOf: (v) => Array.isArray(v) && v.length > 0,
  pattern: (v) => typeof v === 'string',
  format: (v) => typeof v === 'string',
  minLength: Number.isInteger,
  maxLength: Number.isInteger,
  minItems: Number.isInteger,
  minimum: (v) => typeof v === 'number',
  maximum: (v) => typeof v === 'number',
};

/** Every keyword is a known one of the right shape, recursively; patterns compile. */
function metaCheck(s: Schema, at: string, errors: string[]): void {
  for (const [k, v] of Object.entries(s)) {
    const check = KEYWORDS[k];
    if (!check) errors.push(`${at}: unknown keyword ${k}`);
    else if (!check(v)) errors.push(`${at}: bad value for ${k}`);
  }
  if (typeof s.pattern === 'string') new RegExp(s.pattern, 'u');
  if (Array.isArray(s.required) && s.properties) {
    for (const r of s.required)
      if (!(r in (s.properties as Schema))) errors.push(`${at}: required ${r} not in properties`);
  }
  for (const [k, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {}))
    metaCheck(sub, `${at}.${k}`, errors);
  for (const key of ['items', 'propertyNames', 'additionalProperties'] as const) {
    if (typeof s[key] === 'object') metaCheck(s[key] as Schema, `${at}/${key}`, errors);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    (s[key] as Schema[] | undefined)?.forEach((sub, i) => {
      metaCheck(sub, `${at}/${key}[${i}]`, errors);
    });
  }
}

/** A small validator for the keywords above, enough to check documents against the schema. */
function valid(s: Schema, v: unknown): boolean {
  const types = s.type === undefined ? undefined : [s.type].flat();
  const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  if (
    types &&
    !types.some((t) => t === kind || (t === 'integer' && Number.isInteger(v)) || (t === 'number' && kind === 'number'))
  ) {
    return false;
  }
  if ('const' in s && s.const !== v) return false;
  if (Array.isArray(s.enum) && !s.enum.includes(v)) return false;
  if (typeof v === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) return false;
    if (typeof s.minLength === 'number' && v.length < s.minLength) return false;
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) return false;
    if (typeof s.maximum === 'number' && v > s.maximum) return false;
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) return false;
    if (s.items && !v.every((x) => valid(s.items as Schema, x))) return false;
  }
  if (kind === 'object') {
    const o = v as Record<string, unknown>;
    const props = (s.properties as Record<string, Schema>) ?? {};
    if (Array.isArray(s.required) && !s.required.every((r) => r in o)) return false;
    for (const [k, x] of Object.entries(o)) {
      if (s.propertyNames && !valid(s.propertyNames as Schema, k)) return false;
      const p = props[k];
      if (p) {
        if (!valid(p, x)) return false;
      } else if (s.additionalProperties === false) return false;
      else if (typeof s.additionalProperties === 'object' && !valid(s.additionalProperties as Schema, x)) return false;
    }
  }
  if (Array.isArray(s.oneOf) && s.oneOf.filter((x) => valid(x as Schema, v)).length !== 1) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((x) => valid(x as Schema, v))) return false;
  return true;
}

describe('configJsonSchema', () => {
  const schema = configJsonSchema();

  it('is JSON, draft 2020-12, with only known keywords of the right shape', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    const errors: string[] = [];
    metaCheck(schema, '#', errors);
    expect(errors).toEqual([]);
  });

  it('describes sources as a list of typed entries and rejects unknown keys', () => {
    const props = schema.properties as Record<string, Schema>;
    expect(props.sources?.type).toBe('array');
    expect(Object.keys(props)).toEqual([
      'sources',
      'policy',
      'store',
      'scenarios',
      'decisions',
      'responders',
      'log',
      'intel',
    ]);
    expect(schema.additionalProperties).toBe(false);
  });

  it('accepts the documented config and rejects typos and bad enums', () => {
    const good = parse(`
sources:
  - { type: file, path: /var/log/auth.log, format: sshd }
  - { type: syslog, listen_udp: "127.0.0.1:5514", format: auto }
  - { type: journald, units: [ssh.service] }
policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }
store: { path: /var/lib/leuko }
scenarios: { dirs: [], disable: [], overrides: { "leuko/ssh-bf": { capacity: 3, decision: { duration: 1h } } } }
decisions: { default_duration: 4h, escalation: { factor: 2, max_duration: 30d, jitter: 0.1 }, ipv6_scope: /64, max_evidence: 10 }
log: { level: info, format: json }
`);
    expect(valid(schema, good)).toBe(true);
    expect(valid(schema, { stroe: {} })).toBe(false);
    expect(valid(schema, { sources: [{ type: 'file', path: '/x', format: 'sshdd' }] })).toBe(false);
    expect(valid(schema, { policy: { mode: 'obsrve' } })).toBe(false);
    expect(valid(schema, { sources: [{ type: 'file' }] })).toBe(false);
  });

  it('lists the registry formats it is given', () => {
    const s = configJsonSchema({ knownFormats: ['sshd', 'postfix'] });
    expect(valid(s, { sources: [{ type: 'stdin', format: 'postfix' }] })).toBe(true);
  });
});
