import type { DecisionSettings } from '../decisions/decision-maker.js';
import type { ScenarioOverride } from './scenario-overrides.js';

/** What the pipeline needs from the resolved config, kept narrow so tests can build it. */
export interface PipelineSettings {
  readonly allowlist: readonly string[];
  readonly decisions: DecisionSettings & { readonly defaultDurationS: number };
  readonly scenarios: {
    /** Load the scenarios shipped in rules/scenarios. */
    readonly builtin: boolean;
    readonly dirs: readonly string[];
    readonly disable: readonly string[];
    readonly overrides: Readonly<Record<string, ScenarioOverride>>;
  };
  readonly incidentWindowMs: number;
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  allowlist: ['127.0.0.0/8', '::1'],
  decisions: {
    mode: 'observe',
    escalation: { factor: 2, maxDurationS: 30 * 86400, jitter: 0.1 },
    ipv6Scope: 'ip',
    defaultDurationS: 4 * 3600,
  },
  scenarios: { builtin: true, dirs: [], disable: [], overrides: {} },
  incidentWindowMs: 6 * 3600_000,
};
