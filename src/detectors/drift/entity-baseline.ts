/**
 * One entity's own baseline per feature, built so that a patient attacker cannot teach it
 * that an attack is normal:
 *
 * - bounded influence: one window moves a feature by at most `influence * 3 * scale` (the
 *   residual is winsorized at three scales before the EWMA step);
 * - a drift budget: within one event-time day the baseline may move at most `perDay` away from
 *   where the day started; further movement is refused;
 * - a shadow: the same EWMA without the budget, i.e. where the baseline *would* be. When the
 *   shadow runs more than one day's budget ahead of the baseline, and the previous day also
 *   ended with the baseline held at its budget in the same direction, and the window pulls that
 *   way again, somebody has been pushing harder than the budget allows for two days running: that is a drift finding (raised at
 *   most once per entity per day). One day is not enough: a daily rhythm (a busy afternoon, a
 *   quiet evening) runs ahead of the budget within the day and comes back by the next; a ramp
 *   does not come back.
 *
 * Values are in the model's space (log(1 + x) for counts, raw for ratios). The budget applies
 * once the entity is warm (`warmup` windows); before that the baseline is still being learned.
 */
export interface DriftSettings {
  /** Max movement per day (model units). */
  readonly perDay: number;
  /** EWMA weight of one window. */
  readonly influence: number;
  /** Windows before the budget and findings apply. */
  readonly warmup: number;
}

export interface FeatureBaseline {
  /** Location (what `baselines show` prints). */
  b: number;
  /** Scale: EW mean absolute deviation, floored. */
  s: number;
  shadow: number;
  /** Where `b` stood when the current day began. */
  anchor: number;
}

export interface EntityBaseline {
  windows: number;
  /** Event time (ms) of the first window learned. */
  since: number;
  /** Event-time day index (UTC days since the epoch) of the anchor. */
  day: number;
  features: FeatureBaseline[];
  /** Day of the last drift finding (-1: none). */
  raisedDay: number;
  /** Per past day, each feature's movement over the day, in model units (last 14 days). */
  history: DayMovement[];
}

export interface DayMovement {
  day: number;
  moved: number[];
  /**
   * Per feature, +1 or -1 when the day ended with the baseline held at its budget in that
   * direction (the entity was warm, so the budget applied), else 0. Absent in baselines saved
   * before it existed: read as "not held".
   */
  held?: number[];
}

export interface DriftFinding {
  readonly feature: number;
  readonly baseline: number;
  readonly shadow: number;
  readonly anchor: number;
  /** How far the shadow is ahead, in days of budget. */
  readonly daysAhead: number;
}

const CLIP = 3;
const HISTORY_DAYS = 14;

export function newEntityBaseline(
  x: readonly number[],
  floors: readonly number[],
  day: number,
  since: number,
): EntityBaseline {
  return {
    windows: 1,
    since,
    day,
    raisedDay: -1,
    history: [],
    features: x.map((v, i) => ({ b: v, s: floors[i] ?? 0.1, shadow: v, anchor: v })),
  };
}

const clip = (v: number, lim: number): number => Math.max(-lim, Math.min(lim, v));

/**
 * Learn one window `x` for this entity at event-time `day`. Returns a finding when the shadow
 * has run more than a day's budget ahead of the (held) baseline.
 */
export function updateEntityBaseline(
  e: EntityBaseline,
  x: readonly number[],
  floors: readonly number[],
  day: number,
  s: DriftSettings,
): DriftFinding | undefined {
  if (day > e.day) {
    const moved = e.features.map((f) => f.b - f.anchor);
    // Warm all day long means every window was clamped: |moved| <= perDay, equal at the limit.
    const warm = e.windows > s.warmup;
    const held = moved.map((m) => (warm && Math.abs(m) >= s.perDay * (1 - 1e-9) ? Math.sign(m) : 0));
    e.history.push({ day: e.day, moved, held });
    if (e.history.length > HISTORY_DAYS) e.history.shift();
    for (const f of e.features) f.anchor = f.b;
    e.day = day;
  }
  e.windows++;
  const warm = e.windows > s.warmup;
  const yesterday = e.history[e.history.length - 1]?.held;
  let worst: DriftFinding | undefined;
  for (let i = 0; i < e.features.length; i++) {
    const f = e.features[i] as FeatureBaseline;
    const v = x[i] as number;
    if (!Number.isFinite(v)) continue;
    const floor = floors[i] ?? 0.1;
    const step = s.influence * clip((v - f.b) / f.s, CLIP) * f.s;
    f.shadow += s.influence * clip((v - f.shadow) / f.s, CLIP) * f.s;
    const next = f.b + step;
    if (warm) {
      f.b = Math.max(f.anchor - s.perDay, Math.min(f.anchor + s.perDay, next));
    } else {
      f.b = next;
      f.shadow = next;
      f.anchor = next;
    }
    f.s = Math.max(floor, f.s + s.influence * (Math.min(Math.abs(v - f.b), CLIP * f.s) - f.s));
    const ahead = Math.abs(f.shadow - f.b) / s.perDay;
    // Still pushing: held at the budget yesterday, and this window pulls the same way again
    // (a shadow left ahead by a busy day that is over is not a push).
    const dir = Math.sign(f.shadow - f.b);
    const sustained = yesterday !== undefined && yesterday[i] === dir && Math.sign(v - f.b) === dir;
    if (warm && sustained && ahead > 1 && (worst === undefined || ahead > worst.daysAhead)) {
      worst = { feature: i, baseline: f.b, shadow: f.shadow, anchor: f.anchor, daysAhead: ahead };
    }
  }
  if (worst && e.raisedDay !== day) {
    e.raisedDay = day;
    return worst;
  }
  return undefined;
}

export const dayOf = (time: number): number => Math.floor(time / 86_400_000);
