import type { ExtensionFactory } from '../../pipeline/extensions.js';
import { buildFail2banRuntime } from './runtime.js';

/**
 * The `fail2ban:` config section's contribution to replay and run: a parser per jail
 * (format `fail2ban:<jail>`) and its threshold scenario.
 */
export const fail2banExtension: ExtensionFactory = {
  name: 'fail2ban',
  create(ctx) {
    const settings = ctx.config.fail2ban;
    if (settings === undefined) return {};
    const rt = buildFail2banRuntime(settings, ctx.baseDir);
    return { parsers: rt.parsers, scenarios: rt.scenarios };
  },
};
