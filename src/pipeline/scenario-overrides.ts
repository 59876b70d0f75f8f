import type { Scenario } from '../detectors/scenarios/index.js';

/** Per-scenario tuning from the config (`scenarios.overrides`), durations in seconds. */
export interface ScenarioOverride {
  readonly capacity?: number | undefined;
  readonly leak_speed?: number | undefined;
  readonly blackhole?: number | undefined;
  readonly decision?:
    | {
        readonly duration?: number | undefined;
        readonly scope?: 'ip' | 'range' | undefined;
        readonly action?: 'ban' | 'captcha' | 'notify' | undefined;
      }
    | undefined;
}

/**
 * Apply operator tuning to loaded scenarios without editing the shipped files. Returns the
 * override keys that name no loaded scenario, so the caller can warn about typos.
 */
export function applyScenarioOverrides(
  scenarios: readonly Scenario[],
  overrides: Readonly<Record<string, ScenarioOverride>>,
): { scenarios: Scenario[]; unknown: string[] } {
  const names = new Set(scenarios.map((s) => s.name));
  const unknown = Object.keys(overrides).filter((k) => !names.has(k));
  const out = scenarios.map((s) => {
    const o = overrides[s.name];
    if (!o) return s;
    let params = s.params;
    if (params.kind === 'leaky') {
      params = {
        ...params,
        ...(o.capacity === undefined ? {} : { capacity: o.capacity }),
        ...(o.leak_speed === undefined ? {} : { leakMs: o.leak_speed * 1000 }),
      };
    } else if (params.kind === 'window' || params.kind === 'distributed' || params.kind === 'sequence') {
      params = { ...params, ...(o.capacity === undefined ? {} : { threshold: o.capacity }) };
    }
    const d = o.decision;
    const remediation =
      s.remediation && d
        ? {
            ...s.remediation,
            ...(d.duration === undefined ? {} : { durationS: d.duration }),
            ...(d.scope === undefined ? {} : { scope: d.scope }),
            ...(d.action === undefined ? {} : { action: d.action }),
          }
        : s.remediation;
    return {
      ...s,
      params,
      ...(o.blackhole === undefined ? {} : { blackholeMs: o.blackhole * 1000 }),
      ...(remediation === undefined ? {} : { remediation }),
    };
  });
  return { scenarios: out, unknown };
}
