import type { EnforcerFactory } from '../enforcer.js';
import { createFail2banEnforcer } from './fail2ban.js';
import { createLeukoEnforcer } from './leuko.js';

/** `--enforcer NAME` choices. */
export const ENFORCERS: Readonly<Record<string, EnforcerFactory>> = {
  fail2ban: () => createFail2banEnforcer(),
  leuko: (o = {}) => createLeukoEnforcer(o.profile ? { profile: true } : {}),
};
