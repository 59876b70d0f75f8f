import type { Clock } from '../core/clock.js';
import type { BlastRadius, Decision } from '../core/decision.js';
import { actionClass, blastRadiusOf } from './actions.js';
import { type AddressGuardDeps, createAddressGuard, type GuardMatch } from './address-guard.js';
import { parseCidr } from './allowlist.js';
import {
  type BreakerEvent,
  type BreakerReset,
  type BreakerState,
  type BreakerStatus,
  createBreaker,
} from './breaker.js';
import type { PolicyMode } from './config-schema.js';
import type { PolicySettings } from './settings.js';
import type { EvaluateContext, PolicyVerdict } from './verdict.js';

export interface PolicyEngineDeps {
  readonly clock: Clock;
  readonly hostAddresses?: AddressGuardDeps['hostAddresses'];
  readonly adminSessions?: AddressGuardDeps['adminSessions'];
  /**
   * Breaker trips and resets. Exactly one `breaker.tripped` per opening (make it ONE incident);
   * called synchronously from `evaluate`, `tick`, `status` or `resetBreaker`.
   */
  readonly onEvent?: (event: BreakerEvent) => void;
  /** From a previous `snapshot()` (kept in the store's engine state). */
  readonly initialState?: PolicyState;
}

export interface PolicyStatus {
  readonly mode: PolicyMode;
  readonly dryRun: boolean;
  readonly dryRunScenarios: readonly string[];
  readonly allowHighImpact: readonly string[];
  readonly breaker: BreakerStatus;
  readonly allowlist: { readonly configured: number; readonly host: number; readonly admin: number };
}

export interface PolicyState {
  readonly version: 1;
  readonly breaker: BreakerState;
}

export interface PolicyEngine {
  evaluate(decision: Decision, context?: EvaluateContext): PolicyVerdict;
  /**
   * Call every second or few: lets a calm breaker close after its cool-down, and re-reads admin
   * sessions when due, so an admin who logs in and out between two decisions is still seen
   * (and protected for the grace period).
   */
  tick(): void;
  /** Operator reset of an open breaker (`leuko breaker reset`); undefined if it was closed. */
  resetBreaker(by: string): BreakerReset | undefined;
  status(): PolicyStatus;
  /** Learned rate and breaker state, to persist and pass back as `initialState`. */
  snapshot(): PolicyState;
  /** Re-read host addresses and admin sessions now (e.g. on SIGHUP or a login line). */
  refreshAddresses(): void;
}

function describeProtection(value: string, m: GuardMatch): string {
  switch (m.by) {
    case 'loopback':
      return `${value} is loopback (${m.entry}), which is always allowlisted`;
    case 'config':
      return `${value} is allowlisted by policy.allowlist entry ${m.entry}`;
    case 'host':
      return `${value} covers this host's own address ${m.entry}`;
    case 'admin':
      return `${value} covers ${m.entry}, the address of a logged-in administrator${m.user ? ` (${m.user})` : ''}`;
  }
}

/**
 * The regulatory layer between decisions and responders. Rules, in order; the first that
 * decides wins, and its explanation goes to the audit log:
 * 1. invalid target -> reject; 2. allowlist (config, loopback, host, admin sessions) -> reject,
 * nothing overrides it; 3. operator decisions -> approve, except high impact not explicitly
 * allowed -> queue (a second person confirms); 4. observe mode -> observe;
 * 5. dry-run (global, per scenario, per call) -> dry-run; 6. high impact not explicitly
 * allowed -> queue; 7. action needing more autonomy than the mode -> queue; 8. budget and
 * breaker -> queue when exceeded or open; 9. otherwise approve.
 *
 * Deterministic given the clock and providers: no timers, no I/O of its own.
 *
 * @example
 * const policy = createPolicyEngine(policySettings(parsed), { clock: systemClock, onEvent: raiseIncident });
 * const verdict = policy.evaluate(decision);
 * if (verdict.kind === 'approve') await responder.apply([decision], ctx);
 */
export function createPolicyEngine(settings: PolicySettings, deps: PolicyEngineDeps): PolicyEngine {
  const guard = createAddressGuard(settings, {
    clock: deps.clock,
    ...(deps.hostAddresses ? { hostAddresses: deps.hostAddresses } : {}),
    ...(deps.adminSessions ? { adminSessions: deps.adminSessions } : {}),
  });
  const breaker = createBreaker(
    { ...settings.budget, ...settings.breaker },
    deps.initialState?.version === 1 ? deps.initialState.breaker : undefined,
  );
  const allowHigh = new Set(settings.allowHighImpact);

  function emit(event: BreakerEvent | undefined): void {
    if (event && deps.onEvent) {
      try {
        deps.onEvent(event);
      } catch {
        // A failing listener must not turn a policy answer into a crash.
      }
    }
  }

  function scenarioOf(d: Decision): PolicySettings['scenarios'][string] | undefined {
    return d.scenario !== undefined && Object.hasOwn(settings.scenarios, d.scenario)
      ? settings.scenarios[d.scenario]
      : undefined;
  }

  /** Rules 6 and 7: would autonomy allow it, or must a person approve? */
  function gate(d: Decision, radius: BlastRadius, mode: PolicyMode): { queue: string } | undefined {
    if (radius === 'high' && !allowHigh.has(d.action)) {
      return {
        queue: `${d.action} of ${d.scope} ${d.value} is high impact: a person must approve it (or list it in policy.allow_high_impact)`,
      };
    }
    const cls = actionClass(d.action);
    if (cls.minMode === 'heal' && mode !== 'heal' && !(radius === 'high' && allowHigh.has(d.action))) {
      return { queue: `${d.action} needs heal mode (mode is ${mode}): a person must approve it` };
    }
    return undefined;
  }

  return {
    evaluate(d, context = {}) {
      const now = deps.clock.now();
      emit(breaker.poll(now));
      const radius = blastRadiusOf(d);
      const base = { blastRadius: radius };
      if (typeof d.action !== 'string' || typeof d.value !== 'string' || d.action === '') {
        return { kind: 'reject', rule: 'invalid', reason: 'decision has no action or target', ...base };
      }
      if (d.scope === 'ip' || d.scope === 'range') {
        if (!parseCidr(d.value)) {
          return { kind: 'reject', rule: 'invalid', reason: `${d.value} is not an address or range`, ...base };
        }
        const m = guard.match(d.value);
        if (m)
          return { kind: 'reject', rule: 'allowlist', reason: describeProtection(d.value, m), protectedBy: m, ...base };
      }

      const scenario = scenarioOf(d);
      const dryRunBy = context.dryRun
        ? 'this request'
        : settings.dryRun
          ? 'policy.dry_run'
          : scenario?.dryRun
            ? `policy.scenarios.${d.scenario}.dry_run`
            : undefined;
      const note = 'plan only: write the responder plan to the audit log, apply nothing';

      if (context.operator !== undefined) {
        // A person asked, so mode and budget do not apply. High impact still waits unless
        // allowed by name: one mistyped or coerced command must not cut off a whole host or a
        // whole provider's range; the approval is the second look.
        const high = radius === 'high' && !allowHigh.has(d.action);
        if (dryRunBy) {
          return {
            kind: 'dry-run',
            rule: 'dry-run',
            wouldBe: high ? 'queue' : 'approve',
            note,
            reason: `dry run (${dryRunBy})`,
            ...base,
          };
        }
        if (high) {
          return {
            kind: 'queue',
            rule: 'high-impact',
            reason: `requested by operator ${context.operator}; ${d.action} of ${d.scope} ${d.value} is high impact: it must be approved (leuko approve) unless policy.allow_high_impact lists ${d.action}`,
            expiresAt: now + settings.approvalExpiryMs,
            ...base,
          };
        }
        return { kind: 'approve', rule: 'operator', reason: `requested by operator ${context.operator}`, ...base };
      }

      const mode = scenario?.mode ?? settings.mode;
      const gated = gate(d, radius, mode);
      const wouldBe = gated ? 'queue' : 'approve';
      if (mode === 'observe') {
        return {
          kind: 'observe',
          rule: 'observe',
          wouldBe,
          reason: `observe mode: recorded only (contain would ${wouldBe} it)`,
          ...base,
        };
      }
      if (dryRunBy) {
        return {
          kind: 'dry-run',
          rule: 'dry-run',
          wouldBe,
          note,
          reason: `dry run (${dryRunBy}): would ${wouldBe}`,
          ...base,
        };
      }
      const expiresAt = now + settings.approvalExpiryMs;
      if (gated) {
        return {
          kind: 'queue',
          rule: radius === 'high' ? 'high-impact' : 'mode',
          reason: gated.queue,
          expiresAt,
          ...base,
        };
      }
      if (actionClass(d.action).budgeted) {
        const admission = breaker.admit(now);
        if (!admission.ok) {
          emit(admission.trip);
          return {
            kind: 'queue',
            rule: 'breaker',
            reason: `${admission.reason}; held for approval`,
            expiresAt,
            ...base,
          };
        }
      }
      return {
        kind: 'approve',
        rule: 'autonomy',
        reason: `${mode} mode: ${d.action} of ${d.scope} ${d.value} (blast radius ${radius}) runs without approval`,
        ...base,
      };
    },

    tick() {
      guard.refreshIfDue();
      emit(breaker.poll(deps.clock.now()));
    },

    resetBreaker(by) {
      const event = breaker.reset(deps.clock.now(), by);
      emit(event);
      return event;
    },

    status() {
      const now = deps.clock.now();
      emit(breaker.poll(now));
      const counts = guard.counts();
      return {
        mode: settings.mode,
        dryRun: settings.dryRun,
        dryRunScenarios: Object.entries(settings.scenarios)
          .filter(([, s]) => s.dryRun)
          .map(([name]) => name),
        allowHighImpact: [...allowHigh],
        breaker: breaker.status(now),
        allowlist: { configured: counts.configured, host: counts.host, admin: counts.admin },
      };
    },

    snapshot: () => ({ version: 1, breaker: breaker.snapshot() }),

    refreshAddresses() {
      guard.refresh();
    },
  };
}
