import { existsSync } from 'node:fs';
import path from 'node:path';
import { LeukoError } from '../../core/errors.js';
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
    const paths = cfg.rules.map((p) => path.resolve(ctx.baseDir, p));
    const missing = paths.filter((p) => !existsSync(p));
    if (missing.length > 0)
      throw new LeukoError(
        'CONFIG_INVALID',
        `sigma.rules: ${missing.join(', ')} not found; fix the path or remove it`,
        {
          details: { missing },
        },
      );
    // Rules that cannot be compiled are listed by `leuko rules list`; the others still run.
    const set = loadSigmaRules(paths, { placeholders: cfg.placeholders });
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
