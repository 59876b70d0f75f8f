import { parse } from 'yaml';
import { EventView } from './event-view.js';
import { compileRule, type SigmaRule } from './rule.js';
import type { Placeholders } from './values.js';

/** Compile a rule from the YAML of its `detection:` section (tests only). */
export function ruleFrom(
  detectionYaml: string,
  extra: Record<string, unknown> = {},
  placeholders: Placeholders = {},
): SigmaRule {
  const detection = parse(detectionYaml) as Record<string, unknown>;
  const r = compileRule({ title: 't', id: 'r1', logsource: { product: 'test' }, detection, ...extra }, 'test.yml', {
    placeholders,
  });
  if (!r.ok) throw new Error(r.unsupported.reason);
  return r.rule;
}

/** Compile and report why it failed (tests only). */
export function compileError(detectionYaml: string, placeholders: Placeholders = {}): string | undefined {
  const detection = parse(detectionYaml) as Record<string, unknown>;
  const r = compileRule({ title: 't', logsource: {}, detection }, 'test.yml', { placeholders });
  return r.ok ? undefined : r.unsupported.reason;
}

export function hits(rule: SigmaRule, event: Record<string, unknown>): boolean {
  return rule.match(new EventView(event));
}
