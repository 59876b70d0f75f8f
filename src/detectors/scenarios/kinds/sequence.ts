import { arrayWithRoom, emptyArray, type KindHandler, POURED } from './handler.js';

interface SequenceState {
  /** The latest filter event times, ascending, at most `threshold` of them. */
  times: number[];
}

/**
 * The counting half of a `sequence` scenario: `threshold` events of its filter within `window`
 * arm the bucket, and an event of its `followed_by` filter fires it while armed (a successful login
 * after a brute force). Pouring never fires; `armed` is asked when a `followed_by` event comes.
 * Times may come out of order (several files): they are kept sorted, the oldest dropped first.
 */
export function createSequenceHandler(windowMs: number, threshold: number): KindHandler {
  return {
    init: () => ({ times: arrayWithRoom<number>(threshold) }) as SequenceState,
    reset(state) {
      emptyArray((state as SequenceState).times);
      return state;
    },
    drained(state, now) {
      const times = (state as SequenceState).times;
      return times.length === 0 || now - times[times.length - 1]! >= windowMs;
    },
    drainsAt(state) {
      const times = (state as SequenceState).times;
      return times.length === 0 ? Number.NEGATIVE_INFINITY : times[times.length - 1]! + windowMs;
    },
    pour(state, t) {
      const times = (state as SequenceState).times;
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
      return POURED;
    },
    armed(state, t) {
      const times = (state as SequenceState).times;
      // The threshold-th latest filter event is inside the window before `t`.
      return times.length >= threshold && t - times[times.length - threshold]! < windowMs;
    },
  };
}
