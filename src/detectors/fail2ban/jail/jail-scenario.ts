import { parseScenarioText } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/types.js';
import type { JailSpec } from './jail-spec.js';

/** Ten years: how Leuko spells fail2ban's permanent ban (`bantime = -1`). */
const PERMANENT_S = 10 * 365 * 86400;

/**
 * A jail's threshold as a Leuko scenario: a sliding window of `findtime` over the jail's
 * failure events grouped by `source.ip`, firing at `maxretry` failures with a ban of
 * `bantime` (fail2ban's FailManager), quiet for the ban's length afterwards (blackhole), as
 * fail2ban forgets an address's failures once it bans it.
 */
export function jailScenario(jail: JailSpec): Scenario {
  const ban = jail.bantime < 0 ? PERMANENT_S : Math.max(1, Math.round(jail.bantime));
  const doc = {
    name: `fail2ban/${jail.name}`,
    description: `fail2ban jail ${jail.name} (filter ${jail.filter})`,
    kind: 'window',
    mode: 'sliding',
    filter: { 'event.dataset': `fail2ban.${jail.name}`, 'event.outcome': 'failure', 'source.ip|exists': true },
    group_by: 'source.ip',
    window: `${Math.max(1, Math.round(jail.findtime))}s`,
    threshold: jail.maxretry,
    blackhole: `${ban}s`,
    techniques: ['T1110'],
    severity: 'medium',
    confidence: 0.8,
    decision: { action: 'ban', duration: `${ban}s`, scope: 'ip' },
    labels: { source: 'fail2ban', jail: jail.name, filter: jail.filter },
    explain: `{count} failures of fail2ban filter ${jail.filter.replace(/[{}]/g, '')} from {key} within {window} (maxretry {threshold})`,
  };
  const { scenarios, issues } = parseScenarioText(JSON.stringify(doc), `fail2ban:jail:${jail.name}`, []);
  const s = scenarios[0];
  if (s === undefined || issues.length > 0) {
    throw new Error(`jail ${jail.name}: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ') || 'no scenario'}`);
  }
  return s;
}
