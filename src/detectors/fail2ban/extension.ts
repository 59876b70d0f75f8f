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
    // `scenarios.disable` applies to jails too (by scenario id, `fail2ban/<jail>`).
    const disabled = new Set(ctx.config.scenarios.disable);
    return { parsers: rt.parsers, scenarios: rt.scenarios.filter((s) => !disabled.has(s.name)) };
  },
};
