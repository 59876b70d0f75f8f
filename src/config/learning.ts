import { z } from 'zod';
import { duration } from './fields.js';

/**
 * `learning:` — the anomaly model, its baselines' drift budget, immune memory and the recent
 * events kept for feedback replays. Every key is optional; the defaults favour precision
 * (ordinary traffic must not alert) over catching every oddity.
 */
export const learningSchema = z
  .strictObject({
    anomaly: z
      .strictObject({
        enabled: z.boolean().default(true).meta({ description: 'Run the per-entity anomaly model' }),
        window: duration('Feature window per entity (event time)', { min: 10 }).default(600),
        min_events: z
          .number()
          .int()
          .min(1)
          .default(20)
          .meta({ description: 'Windows with fewer events are neither learned nor scored (too noisy)' }),
        threshold: z
          .number()
          .min(0.001)
          .max(1)
          .default(0.6)
          .meta({ description: 'Half-space-trees score (0..1) from which a window is anomalous' }),
        min_deviation: z
          .number()
          .min(0)
          .default(6)
          .meta({ description: 'The driving feature must also sit this many robust deviations from the median' }),
        warmup: z
          .number()
          .int()
          .min(10)
          .default(300)
          .meta({ description: 'Windows the model learns from before it may raise anything' }),
        learn_for: duration('Event time the model only learns before it may raise anything', { min: 0 }).default(86400),
        trees: z.number().int().min(1).max(200).default(100).meta({
          description:
            'Half-space trees per profile: more trees, steadier scores (25 let ordinary windows graze the threshold)',
        }),
        depth: z.number().int().min(2).max(30).default(15),
        reference_size: z
          .number()
          .int()
          .min(16)
          .default(256)
          .meta({ description: 'Windows per half-space-trees reference profile (the model refreshes this often)' }),
        max_entities: z.number().int().min(100).default(50_000).meta({ description: 'Entities kept (LRU)' }),
        seed: z.number().int().default(1).meta({ description: 'Seed of the model (deterministic replays)' }),
        action: z
          .enum(['notify', 'captcha', 'ban'])
          .default('notify')
          .meta({ description: 'What an anomaly asks for (policy still decides)' }),
        duration: duration('Duration of the decision an anomaly asks for', { min: 1 }).default(3600),
      })
      .prefault({}),
    drift: z
      .strictObject({
        per_day: z.number().min(0.001).default(0.2).meta({
          description:
            'How far one entity baseline may move per event-time day: natural-log units for counts (0.2 = +22 %), absolute for ratios',
        }),
        influence: z.number().min(0.001).max(1).default(0.05).meta({
          description: 'Weight of one window in an entity baseline (EWMA alpha); residuals are clipped at 3 scales',
        }),
        warmup: z
          .number()
          .int()
          .min(1)
          .default(24)
          .meta({ description: 'Windows an entity needs before its baseline drift can raise a detection' }),
      })
      .prefault({}),
    memory: z
      .strictObject({
        enabled: z.boolean().default(true),
        expiry: duration('How long a true positive indicator is remembered', { min: 60 }).default(30 * 86400),
        ban_duration: duration('Base ban when a remembered indicator shows up again', { min: 1 }).default(24 * 3600),
      })
      .prefault({}),
    recent_events: z
      .strictObject({
        max: z
          .number()
          .int()
          .min(0)
          .default(200_000)
          .meta({ description: 'Raw lines kept for feedback replays (0: keep none)' }),
        max_age: duration('Lines older than this (event time) are dropped', { min: 60 }).default(3 * 86400),
      })
      .prefault({}),
  })
  .prefault({});

export type LearningConfig = z.output<typeof learningSchema>;
