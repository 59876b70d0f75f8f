import { z } from 'zod';
import { duration } from './fields.js';
import { HTTP_ACCESS_DATASETS } from '../core/datasets.js';

/**
 * `templates:` — Drain log template mining and novelty detection (issue 6, "Learn").
 * Off by default: it adds work to every line, and a learning period must pass before it says
 * anything. Detections only notify (entity `service`); they never ban.
 */
const minerSettings = z
  .strictObject({
    log_format: z
      .string()
      .optional()
      .meta({
        description: 'Loghub log_format: `<Header>` fields are captured and dropped, only `<Content>` is mined',
        examples: ['<Date> <Time> <Level> <Component>: <Content>'],
      }),
    regex: z
      .array(z.string())
      .optional()
      .meta({
        description: 'Masking regexes: each match becomes `<*>` before mining',
        examples: [['(\\d+\\.){3}\\d+']],
      }),
    st: z.number().min(0).max(1).optional().meta({ description: 'Drain similarity threshold' }),
    depth: z.number().int().min(1).max(32).optional().meta({ description: 'Drain tree depth (Loghub `depth`)' }),
    maxChild: z.number().int().min(2).max(100_000).optional().meta({ description: 'Children per tree node' }),
  })
  .meta({ description: 'Drain settings, the keys of one entry of Loghub drain_benchmark_settings.json' });

export type TemplateMinerConfig = z.output<typeof minerSettings>;

const noveltySchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: 'Raise detections for new templates and rate changes' }),
    learning_period: duration('Event time per source before anything is reported', { min: 1 }).default(3600),
    window: duration('Rate window per template', { min: 1 }).default(300),
    examples: z.number().int().min(1).max(20).default(3).meta({ description: 'Example lines kept per new template' }),
    band_k: z
      .number()
      .min(1)
      .max(50)
      .default(4)
      .meta({ description: 'Rate band half-width in mean absolute deviations (and Poisson sigmas)' }),
    min_excess: z
      .number()
      .min(0)
      .default(10)
      .meta({ description: 'Lines per window above the band before a rate rise counts' }),
    min_history: z
      .number()
      .int()
      .min(1)
      .default(6)
      .meta({ description: 'Windows a template must have been seen for before its rate is judged' }),
    ignore_datasets: z
      .array(z.string())
      .default([...HTTP_ACCESS_DATASETS])
      .meta({
        description:
          'Datasets novelty leaves out: in access logs the client writes most of the line (user agent, path), so a "new template" is mostly a new client; per-entity web baselines cover them',
      }),
    detect_drops: z
      .boolean()
      .default(true)
      .meta({ description: 'Also report a busy template falling below its band while its source keeps logging' }),
  })
  .prefault({});

export const templatesSchema = z
  .strictObject({
    enabled: z.boolean().default(false).meta({ description: 'Mine a template id for every line (parsed or not)' }),
    defaults: minerSettings.optional().meta({
      description:
        'Settings for sources not listed under `sources`; built-in masks and syslog header removal when omitted',
    }),
    sources: z
      .record(z.string(), minerSettings)
      .default({})
      .meta({ description: 'Settings per source id (e.g. a Loghub log_format for an application log)' }),
    max_templates: z
      .number()
      .int()
      .min(10)
      .max(1_000_000)
      .default(10_000)
      .meta({ description: 'Templates kept per source; lines that would add more get the overflow id E0' }),
    novelty: noveltySchema,
  })
  .prefault({});
