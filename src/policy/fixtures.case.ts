import { createManualClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { BreakerEvent } from './breaker.js';
import { createPolicyEngine, type PolicyEngineDeps } from './engine.js';
import { DEFAULT_POLICY_SETTINGS, type PolicySettings } from './settings.js';

/** Test-only helpers (`.case.ts`: excluded from the build). */
let n = 0;

export function decision(over: Partial<Decision> = {}): Decision {
  n++;
  return {
    id: `dec_${n}`,
    scope: 'ip',
    value: '203.0.113.9',
    action: 'ban',
    durationS: 3600,
    createdAt: 0,
    expiresAt: 3_600_000,
    origin: 'scenario',
    scenario: 'leuko/ssh-bf',
    reason: 'test',
    blastRadius: 'low',
    status: 'proposed',
    offence: 1,
    ...over,
  };
}

export const T0 = Date.UTC(2025, 0, 1);

export function engineWith(over: Partial<PolicySettings> = {}, deps: Partial<PolicyEngineDeps> = {}) {
  const clock = createManualClock(T0);
  const events: BreakerEvent[] = [];
  const engine = createPolicyEngine(
    { ...DEFAULT_POLICY_SETTINGS, mode: 'contain', ...over },
    { clock, onEvent: (e) => events.push(e), ...deps },
  );
  return { engine, clock, events };
}

/** Address number i inside 198.18.0.0/15 (benchmark space), as a spoofed source. */
export function spoofed(i: number): string {
  return `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`;
}
