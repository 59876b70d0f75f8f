import { arrayWithRoom, emptyArray, FIRE, type KindHandler, POURED, type PourOutcome } from './handler.js';

/** `SequenceState.follow` when no `followed_by` event is held (null once through JSON). */
const NO_FOLLOW = Number.NEGATIVE_INFINITY;

interface SequenceState {
  /** The latest filter event times, ascending, at most `threshold` of them. */
  times: number[];
  /**
   * Unordered sequences: the latest `followed_by` event's time that came before the filter
   * events it needs (NO_FOLLOW, or null in a snapshot: none; absent for ordered sequences).
   */
  follow?: number | null;
}

/**
 * The counting half of a `sequence` scenario: `threshold` events of its filter within `window`
 * arm the bucket, and an event of its `followed_by` filter fires it while armed (a successful login
 * after a brute force). Pouring never fires; `armed` is asked when a `followed_by` event comes.
 * Times may come out of order (several files): they are kept sorted, the oldest dropped first.
 *
 * `ordered: false` (`unordered` here) drops the order: the `followed_by` event may also come
 * first, held by `follow`, and the filter event that completes the set within `window` fires
 * (`base64 -d | perl` starts both programs at once, in either order).
 */
export function createSequenceHandler(windowMs: number, threshold: number, unordered = false): KindHandler {
  const followOf = (s: SequenceState): number => s.follow ?? NO_FOLLOW;
  const armedAt = (times: readonly number[], t: number): boolean =>
    times.length >= threshold && t - times[times.length - threshold]! < windowMs;
  /** The latest event time held, NO_FOLLOW when none. */
  const last = (s: SequenceState): number => {
    const times = s.times;
    return Math.max(times.length === 0 ? NO_FOLLOW : times[times.length - 1]!, followOf(s));
  };
  return {
    init: () =>
      (unordered
        ? { times: arrayWithRoom<number>(threshold), follow: NO_FOLLOW }
        : { times: arrayWithRoom<number>(threshold) }) as SequenceState,
    reset(state) {
      const s = state as SequenceState;
      emptyArray(s.times);
      if (unordered) s.follow = NO_FOLLOW;
      return state;
    },
    drained(state, now) {
      const at = last(state as SequenceState);
      return at === NO_FOLLOW || now - at >= windowMs;
    },
    drainsAt(state) {
      const at = last(state as SequenceState);
      return at === NO_FOLLOW ? Number.NEGATIVE_INFINITY : at + windowMs;
    },
    pour(state, t): PourOutcome {
      const s = state as SequenceState;
      const times = s.times;
      if (times.length >= threshold) {
        // Full: older than everything kept, it changes nothing; else the oldest makes room.
        if (t <= times[0]!) return POURED;
        times.shift();
      }
      let i = times.length;
      times.push(t);
      while (i > 0 && times[i - 1]! > t) {
        times[i] = times[i - 1]!;
        i--;
      }
      times[i] = t;
      // Unordered: a `followed_by` event held within the window completes the set now.
      const follow = followOf(s);
      if (unordered && follow !== NO_FOLLOW && Math.abs(t - follow) < windowMs && armedAt(times, Math.max(t, follow)))
        return FIRE;
      return POURED;
    },
    armed(state, t) {
      // The threshold-th latest filter event is inside the window before `t`.
      return armedAt((state as SequenceState).times, t);
    },
    ...(unordered
      ? {
          hold(state: object, t: number) {
            const s = state as SequenceState;
            if (t > followOf(s)) s.follow = t;
          },
        }
      : {}),
  };
}
