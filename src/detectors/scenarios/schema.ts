import { z } from 'zod';
import { parseDurationS } from '../../core/duration.js';

/**
 * The scenario file format, validated strictly: an unknown key is an error, never silently
 * ignored, because a misspelt `blackhole:` or `cancel_on:` would change what gets banned.
 */
const durationMs = (what: string, minMs = 0) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const s = parseDurationS(v);
    if (s === undefined || s * 1000 < minMs) {
      ctx.addIssue({
        code: 'custom',
        message: `${what}: invalid duration ${JSON.stringify(v)}${minMs > 0 ? ` (minimum ${minMs} ms)` : ''}`,
      });
      return z.NEVER;
    }
    return Math.round(s * 1000);
  });

const filterMap = z.record(z.string(), z.unknown());
const fieldList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const common = {
  name: z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, 'scenario name like `leuko/ssh-bf`'),
  description: z.string().min(1),
  filter: filterMap,
  group_by: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  group_default: z.string().min(1).optional(),
  blackhole: durationMs('blackhole').optional(),
  cancel_on: filterMap.optional(),
  entity: z
    .strictObject({
      type: z.enum(['ip', 'range', 'user', 'file', 'process', 'service', 'host']),
      field: z.string().min(1).optional(),
    })
    .optional(),
  techniques: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'ATT&CK technique id like T1110.001')).min(1),
  severity: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
  confidence: z.number().min(0).max(1).default(0.7),
  decision: z
    .strictObject({
      action: z.enum(['ban', 'captcha', 'notify']).default('ban'),
      duration: durationMs('decision.duration', 1000),
      scope: z.enum(['ip', 'range']).default('ip'),
    })
    .optional(),
  labels: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])))
    .optional(),
  explain: z.string().min(1).optional(),
  references: z.array(z.string()).optional(),
  max_buckets: z.number().int().min(1).default(100_000),
};

const windowFields = {
  window: durationMs('window', 1),
  threshold: z.number().int().min(1),
  report: z.enum(['threshold', 'close']).default('threshold'),
  count_distinct: z.string().min(1).optional(),
  distinct: fieldList.optional(),
};

export const scenarioSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('leaky'),
    capacity: z.number().int().min(0),
    leakspeed: durationMs('leakspeed', 1),
    distinct: fieldList.optional(),
  }),
  z.strictObject({ ...common, kind: z.literal('trigger') }),
  z.strictObject({
    ...common,
    kind: z.literal('window'),
    mode: z.enum(['sliding', 'fixed']).default('sliding'),
    ...windowFields,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('counter'),
    mode: z.enum(['sliding', 'fixed']).default('fixed'),
    ...windowFields,
  }),
  z.strictObject({
    ...common,
    kind: z.literal('cadence'),
    min_events: z.number().int().min(2),
    min_median_interval: durationMs('min_median_interval', 1),
    idle: durationMs('idle', 1),
    distinct: fieldList.optional(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('sequence'),
    /** The event that completes the sequence once `threshold` filter events came within `window`. */
    followed_by: filterMap,
    /** false: the `followed_by` event may also come first; both within `window` fire. */
    ordered: z.boolean().default(true),
    window: durationMs('window', 1),
    threshold: z.number().int().min(1),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('distributed'),
    source: z.string().min(1),
    window: durationMs('window', 1),
    threshold: z.number().int().min(2),
  }),
]);

export type ScenarioSpec = z.infer<typeof scenarioSpecSchema>;

export const SCENARIO_KINDS = ['leaky', 'trigger', 'window', 'counter', 'cadence', 'sequence', 'distributed'] as const;
