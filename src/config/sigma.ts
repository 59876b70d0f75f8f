import { z } from 'zod';
import { duration, nonEmpty } from './fields.js';

/**
 * `sigma:` — Sigma rules run beside the scenario engine. Detections notify by default: a
 * community rule firing on one log line is evidence for a person, not a reason to ban, unless
 * the operator says so here.
 *
 * @example
 * sigma:
 *   rules: [/etc/leuko/sigma, ./my-rule.yml]
 *   placeholders: { Admins: [root, alice] }
 *   decision: { action: ban, duration: 1h, min_level: high }
 */
export const sigmaSchema = z
  .strictObject({
    rules: z
      .array(nonEmpty('Sigma rule file or directory (relative paths resolve from the config file)', '/etc/leuko/sigma'))
      .default([])
      .meta({ description: 'Sigma rule files and directories to load' }),
    placeholders: z
      .record(z.string().regex(/^[\w.-]+$/), z.union([z.string(), z.array(z.string())]))
      .default({})
      .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? [v] : v])))
      .meta({ description: 'Values for %name% placeholders used with the |expand modifier' }),
    disable: z.array(z.string().min(1)).default([]).meta({ description: 'Sigma rule ids (or names) not to run' }),
    decision: z
      .strictObject({
        action: z.enum(['notify', 'ban', 'captcha']).default('notify'),
        duration: duration('Ban duration for Sigma detections', { min: 1 }).default(3600),
        min_level: z
          .enum(['informational', 'low', 'medium', 'high', 'critical'])
          .default('high')
          .meta({ description: 'Only rules at this level or above ask for the action; the rest notify' }),
      })
      .prefault({}),
  })
  .prefault({});

export type SigmaConfig = z.output<typeof sigmaSchema>;
