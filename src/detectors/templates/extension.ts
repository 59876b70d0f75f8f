import type { Detector, EventEnricher } from '../../core/detector.js';
import type { ExtensionFactory } from '../../pipeline/extensions.js';
import { createNoveltyDetector } from '../novelty/index.js';
import { TemplateModels } from './models.js';

/** Event fields the enricher adds (ECS has no template field; ours live under `leuko.`). */
export const TEMPLATE_ID_FIELD = 'leuko.template.id';
export const TEMPLATE_TEXT_FIELD = 'leuko.template.text';

/** The detector that carries the Drain models through checkpoints (snapshot key `detector:templates`). */
export const TEMPLATES_DETECTOR = 'templates';
export const NOVELTY_DETECTOR = 'novelty';

/**
 * Adds `leuko.template.id` (`E<n>`, stable per source across restarts) and
 * `leuko.template.text` to every event, parsed or not (`acceptsUnparsed`).
 */
export function createTemplateEnricher(models: TemplateModels): EventEnricher {
  return {
    name: 'templates',
    acceptsUnparsed: true,
    enrich(obs) {
      const a = models.mine(obs.sourceId, obs.event.message);
      obs.event[TEMPLATE_ID_FIELD] = a.id;
      obs.event[TEMPLATE_TEXT_FIELD] = a.template;
    },
  };
}

/**
 * Not a detector in the finding sense: the pipeline persists detector snapshots with each
 * checkpoint, so the models ride along here and template ids survive restarts.
 */
export function createTemplatesStateDetector(models: TemplateModels): Detector {
  return {
    name: TEMPLATES_DETECTOR,
    process: () => [],
    snapshot: () => models.snapshot(),
    restore: (text) => models.restore(text),
  };
}

/** `templates:` in the config → the enricher, the models' carrier and the novelty detector. */
export const templatesExtension: ExtensionFactory = {
  name: 'templates',
  create(ctx) {
    const cfg = ctx.config.templates;
    if (!cfg.enabled) return {};
    const models = new TemplateModels({
      defaults: cfg.defaults,
      sources: cfg.sources,
      maxTemplates: cfg.max_templates,
    });
    const detectors: Detector[] = [createTemplatesStateDetector(models)];
    const n = cfg.novelty;
    if (n.enabled) {
      const novelty = createNoveltyDetector(
        {
          learningMs: n.learning_period * 1000,
          windowMs: n.window * 1000,
          examples: n.examples,
          bandK: n.band_k,
          minExcess: n.min_excess,
          minHistory: n.min_history,
          detectDrops: n.detect_drops,
          ignoreDatasets: new Set(n.ignore_datasets),
        },
        ctx.ids,
      );
      detectors.push(novelty);
    }
    return { enrichers: [createTemplateEnricher(models)], detectors };
  },
};
