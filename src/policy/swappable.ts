import { createPolicyEngine, type PolicyEngine, type PolicyEngineDeps } from './engine.js';
import type { PolicySettings } from './settings.js';

/** A policy engine whose settings can change while the enforcer holds it. */
export interface SwappablePolicyEngine extends PolicyEngine {
  /** The settings in force now. */
  settings(): PolicySettings;
  /**
   * Put new settings in force for every later verdict. The breaker's learned rate and state
   * carry over (a pushed config must not reset a tripped breaker).
   */
  replace(settings: PolicySettings): void;
}

/**
 * The enforcer's policy for a fleet agent: the hive may push a policy fragment (mode, allowlist
 * additions, budgets; src/fleet/config-push.ts) that takes effect without a restart. Every call
 * goes to the current engine, so a verdict is always made under exactly one set of settings.
 */
export function createSwappablePolicyEngine(settings: PolicySettings, deps: PolicyEngineDeps): SwappablePolicyEngine {
  let current = settings;
  let engine = createPolicyEngine(settings, deps);
  return {
    evaluate: (decision, context) => engine.evaluate(decision, context),
    tick: () => engine.tick(),
    resetBreaker: (by) => engine.resetBreaker(by),
    status: () => engine.status(),
    snapshot: () => engine.snapshot(),
    refreshAddresses: () => engine.refreshAddresses(),
    settings: () => current,
    replace(next) {
      const initialState = engine.snapshot();
      engine = createPolicyEngine(next, { ...deps, initialState });
      current = next;
    },
  };
}
