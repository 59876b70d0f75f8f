import { createBucketCounter, createCapWindow } from './rate-window.js';

export interface BreakerSettings {
  /** Autonomous actions allowed in any 60 s. */
  readonly maxPerMinute: number;
  /** Autonomous actions allowed per `windowMs`. */
  readonly maxPerWindow: number;
  readonly windowMs: number;
  /** Trip when the request rate exceeds factor x the learned normal rate... */
  readonly factor: number;
  /** ...and this many per minute. */
  readonly minRate: number;
  /** Calm time (no excess) before an open breaker closes by itself. */
  readonly cooldownMs: number;
  /** Half-life of the learned normal rate (an EWMA of requests per minute). */
  readonly halfLifeMs: number;
}

export type BreakerTrigger = 'budget' | 'window-budget' | 'rate';

/** Raised exactly once per opening; the daemon turns it into one incident. */
export interface BreakerTrip {
  readonly kind: 'breaker.tripped';
  readonly at: number;
  readonly trigger: BreakerTrigger;
  readonly reason: string;
  /** Requests for autonomous action in the last 60 s, this one included. */
  readonly ratePerMinute: number;
  readonly maxPerMinute: number;
  readonly windowUsed: number;
  readonly maxPerWindow: number;
  readonly windowS: number;
  readonly normalPerMinute: number;
  readonly thresholdPerMinute: number;
}

export interface BreakerReset {
  readonly kind: 'breaker.reset';
  readonly at: number;
  /** `cooldown`, or the operator who reset it (`cli:root`). */
  readonly by: string;
  readonly openForMs: number;
  /** Actions held for approval while it was open. */
  readonly held: number;
}

export type BreakerEvent = BreakerTrip | BreakerReset;

export type Admission =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly trip?: BreakerTrip };

export interface BreakerStatus {
  readonly state: 'closed' | 'open';
  readonly since?: number;
  readonly reason?: string;
  readonly trigger?: BreakerTrigger;
  /** Earliest time it can close by itself, if the excess stops now. */
  readonly closesAt?: number;
  readonly held: number;
  readonly trips: number;
  readonly ratePerMinute: number;
  readonly normalPerMinute: number;
  readonly thresholdPerMinute: number;
  readonly perMinute: { readonly used: number; readonly limit: number };
  readonly window: { readonly used: number; readonly limit: number; readonly windowMs: number };
}

/** What survives a restart: the learned rate, an open breaker, recent approvals. */
export interface BreakerState {
  readonly normalPerMinute: number;
  readonly minute: number;
  readonly recent: readonly number[];
  readonly open?: {
    readonly since: number;
    readonly reason: string;
    readonly trigger: BreakerTrigger;
    readonly lastExcessAt: number;
  };
}

export interface Breaker {
  /** Ask to take one budgeted autonomous action now; records it when admitted. */
  admit(now: number): Admission;
  /** Close after a calm cool-down; returns the reset event when it closed. */
  poll(now: number): BreakerReset | undefined;
  /** Operator reset; undefined when it was not open. */
  reset(now: number, by: string): BreakerReset | undefined;
  status(now: number): BreakerStatus;
  snapshot(): BreakerState;
}

const MINUTE = 60_000;

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/**
 * Budgets and a circuit breaker for autonomous action. The attack it defends against: someone
 * who forges failed logins from thousands of (spoofed) sources, or from the addresses of real
 * users, to make Leuko ban them. Two independent limits trip it: a hard budget (exact per 60 s
 * and per window) and a rate far above the learned normal. Once open, every further action
 * waits for a person until the excess has stopped for a whole cool-down.
 *
 * The learned normal never learns from minutes in which the breaker was open and counts a
 * minute at most at the threshold, so a long flood does not teach it that floods are normal.
 */
export function createBreaker(settings: BreakerSettings, initial?: BreakerState): Breaker {
  const recent = initial?.recent ?? [];
  const perMinute = createCapWindow(settings.maxPerMinute, MINUTE, recent);
  const perWindow = createCapWindow(settings.maxPerWindow, settings.windowMs, recent);
  const requests = createBucketCounter(MINUTE, 60);
  const alpha = 1 - 2 ** (-MINUTE / Math.max(MINUTE, settings.halfLifeMs));
  let normal = Number.isFinite(initial?.normalPerMinute) ? Math.max(0, initial?.normalPerMinute ?? 0) : 0;
  let minute = initial !== undefined && initial.minute >= 0 ? initial.minute : Number.NaN;
  let minuteCount = 0;
  let tainted = initial?.open !== undefined;
  let open = initial?.open ? { ...initial.open, held: 0 } : undefined;
  let trips = 0;
  let last = Number.NEGATIVE_INFINITY;

  const threshold = (): number => Math.max(settings.minRate, settings.factor * normal);

  /** Fold finished minutes into the EWMA. */
  function roll(now: number): void {
    const m = Math.floor(now / MINUTE);
    if (Number.isNaN(minute)) minute = m;
    if (m <= minute) return;
    if (!tainted) normal = alpha * Math.min(minuteCount, threshold()) + (1 - alpha) * normal;
    const idle = Math.min(m - minute - 1, 1_000_000);
    if (idle > 0) normal *= (1 - alpha) ** idle;
    minute = m;
    minuteCount = 0;
    tainted = open !== undefined;
  }

  /** The clock may step back (NTP); never let time run backwards inside the breaker. */
  function tick(now: number): number {
    if (Number.isFinite(now)) last = Math.max(last, now);
    if (!Number.isFinite(last)) last = 0;
    roll(last);
    return last;
  }

  function close(now: number, by: string): BreakerReset | undefined {
    if (!open) return undefined;
    const event: BreakerReset = { kind: 'breaker.reset', at: now, by, openForMs: now - open.since, held: open.held };
    open = undefined;
    return event;
  }

  return {
    admit(input) {
      const now = tick(input);
      requests.add(now);
      minuteCount++;
      const rate = requests.count(now);
      const limit = threshold();
      if (open) {
        open.held++;
        if (rate > Math.min(limit, settings.maxPerMinute)) open.lastExcessAt = now;
        return { ok: false, reason: `breaker open since ${iso(open.since)}: ${open.reason}` };
      }
      let trigger: BreakerTrigger | undefined;
      let reason = '';
      if (!perMinute.allows(now)) {
        trigger = 'budget';
        reason = `budget: more than ${settings.maxPerMinute} actions in 60s (${rate} requested)`;
      } else if (!perWindow.allows(now)) {
        trigger = 'window-budget';
        reason = `budget: more than ${settings.maxPerWindow} actions in ${Math.round(settings.windowMs / 1000)}s`;
      } else if (rate > limit) {
        trigger = 'rate';
        reason =
          `rate: ${rate} actions in 60s is above ${limit.toFixed(1)}/min ` +
          `(${settings.factor}x the learned normal ${normal.toFixed(2)}/min, floor ${settings.minRate}/min)`;
      }
      if (trigger === undefined) {
        perMinute.record(now);
        perWindow.record(now);
        return { ok: true };
      }
      open = { since: now, reason, trigger, lastExcessAt: now, held: 1 };
      tainted = true;
      trips++;
      const trip: BreakerTrip = {
        kind: 'breaker.tripped',
        at: now,
        trigger,
        reason,
        ratePerMinute: rate,
        maxPerMinute: settings.maxPerMinute,
        windowUsed: perWindow.used(now),
        maxPerWindow: settings.maxPerWindow,
        windowS: settings.windowMs / 1000,
        normalPerMinute: normal,
        thresholdPerMinute: limit,
      };
      return { ok: false, reason: `breaker tripped: ${reason}`, trip };
    },

    poll(input) {
      const now = tick(input);
      if (open && now - open.lastExcessAt >= settings.cooldownMs) return close(now, 'cooldown');
      return undefined;
    },

    reset(input, by) {
      return close(tick(input), by);
    },

    status(input) {
      const now = tick(input);
      return {
        state: open ? 'open' : 'closed',
        ...(open
          ? {
              since: open.since,
              reason: open.reason,
              trigger: open.trigger,
              closesAt: open.lastExcessAt + settings.cooldownMs,
            }
          : {}),
        held: open?.held ?? 0,
        trips,
        ratePerMinute: requests.count(now),
        normalPerMinute: normal,
        thresholdPerMinute: threshold(),
        perMinute: { used: perMinute.used(now), limit: settings.maxPerMinute },
        window: { used: perWindow.used(now), limit: settings.maxPerWindow, windowMs: settings.windowMs },
      };
    },

    snapshot() {
      const a = perMinute.times();
      const b = perWindow.times();
      return {
        normalPerMinute: normal,
        minute: Number.isNaN(minute) ? -1 : minute,
        recent: a.length > b.length ? a : b,
        ...(open
          ? { open: { since: open.since, reason: open.reason, trigger: open.trigger, lastExcessAt: open.lastExcessAt } }
          : {}),
      };
    },
  };
}
