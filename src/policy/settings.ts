import type { ParsedHealthCheck, ParsedPolicyConfig, PolicyMode } from './config-schema.js';

export interface ScenarioPolicy {
  readonly dryRun?: boolean;
  readonly mode?: PolicyMode;
}

export type HealthCheck =
  | {
      readonly type: 'http';
      readonly name: string;
      readonly url: string;
      readonly expect: number;
      readonly intervalMs: number;
      readonly timeoutMs: number;
    }
  | {
      readonly type: 'tcp';
      readonly name: string;
      readonly host: string;
      readonly port: number;
      readonly intervalMs: number;
      readonly timeoutMs: number;
    };

/** The policy engine's runtime settings (times in ms). Build with `policySettings(parsed)`. */
export interface PolicySettings {
  readonly mode: PolicyMode;
  readonly allowlist: readonly string[];
  readonly dryRun: boolean;
  readonly scenarios: Readonly<Record<string, ScenarioPolicy>>;
  readonly allowHighImpact: readonly string[];
  readonly budget: { readonly maxPerMinute: number; readonly maxPerWindow: number; readonly windowMs: number };
  readonly breaker: {
    readonly factor: number;
    readonly minRate: number;
    readonly cooldownMs: number;
    readonly halfLifeMs: number;
  };
  readonly approvalExpiryMs: number;
  /** undefined: root plus members of sudo/wheel/adm (see admin-sessions.ts). */
  readonly adminUsers?: readonly string[];
  readonly adminGraceMs: number;
  /** How often the host's own addresses are re-read. */
  readonly hostRefreshMs: number;
  /** How often the administrators' sessions are re-read. */
  readonly adminRefreshMs: number;
  readonly healthChecks: readonly HealthCheck[];
}

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  mode: 'observe',
  allowlist: ['127.0.0.0/8', '::1/128'],
  dryRun: false,
  scenarios: {},
  allowHighImpact: [],
  budget: { maxPerMinute: 30, maxPerWindow: 1000, windowMs: 3_600_000 },
  breaker: { factor: 10, minRate: 20, cooldownMs: 600_000, halfLifeMs: 3_600_000 },
  approvalExpiryMs: 3_600_000,
  adminGraceMs: 86_400_000,
  hostRefreshMs: 60_000,
  adminRefreshMs: 5_000,
  healthChecks: [],
};

function healthCheck(c: ParsedHealthCheck): HealthCheck {
  const common = { intervalMs: c.interval * 1000, timeoutMs: c.timeout * 1000 };
  if (c.type === 'http') return { type: 'http', name: c.name ?? c.url, url: c.url, expect: c.expect, ...common };
  return { type: 'tcp', name: c.name ?? `${c.host}:${c.port}`, host: c.host, port: c.port, ...common };
}

/**
 * Parsed `policy:` section to runtime settings.
 *
 * @example
 * const settings = policySettings(policyConfigSchema.parse({ mode: 'contain' }));
 */
export function policySettings(p: ParsedPolicyConfig): PolicySettings {
  const scenarios: Record<string, ScenarioPolicy> = {};
  for (const [name, s] of Object.entries(p.scenarios)) {
    scenarios[name] = {
      ...(s.dry_run === undefined ? {} : { dryRun: s.dry_run }),
      ...(s.mode === undefined ? {} : { mode: s.mode }),
    };
  }
  return {
    ...DEFAULT_POLICY_SETTINGS,
    mode: p.mode,
    allowlist: p.allowlist,
    dryRun: p.dry_run,
    scenarios,
    allowHighImpact: p.allow_high_impact,
    budget: {
      maxPerMinute: p.budget.max_bans_per_minute,
      maxPerWindow: p.budget.max_decisions,
      windowMs: p.budget.window * 1000,
    },
    breaker: {
      factor: p.breaker.factor,
      minRate: p.breaker.min_rate,
      cooldownMs: p.breaker.cooldown * 1000,
      halfLifeMs: p.breaker.half_life * 1000,
    },
    approvalExpiryMs: p.approvals.expire_after * 1000,
    ...(p.admin_users === undefined ? {} : { adminUsers: p.admin_users }),
    adminGraceMs: p.admin_grace * 1000,
    healthChecks: p.health_checks.map(healthCheck),
  };
}
