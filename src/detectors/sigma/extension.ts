import path from 'node:path';
import type { ExtensionFactory } from '../../pipeline/extensions.js';
import { createSigmaDetector } from './detector.js';
import { loadSigmaRules } from './load.js';

/**
 * The pipeline entry for `sigma:` config: loads the configured rules (relative paths from
 * the config's directory) and adds the Sigma detector. No rules configured, no detector.
 */
export const sigmaExtension: ExtensionFactory = {
  name: 'sigma',
  create(ctx) {
    const cfg = ctx.config.sigma;
    if (!cfg || cfg.rules.length === 0) return {};
    const set = loadSigmaRules(
      cfg.rules.map((p) => path.resolve(ctx.baseDir, p)),
      { placeholders: cfg.placeholders },
    );
    const disabled = new Set(cfg.disable);
    const rules = set.rules.filter((r) => !disabled.has(r.id) && !(r.name && disabled.has(r.name)));
    const detector = createSigmaDetector({ ...set, rules }, ctx.ids, {
      action: cfg.decision.action,
      durationS: cfg.decision.duration,
      minLevel: cfg.decision.min_level,
    });
    return { detectors: [detector] };
  },
};
