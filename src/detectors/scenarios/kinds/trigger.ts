import { FIRE, type KindHandler } from './handler.js';

/** Fires on the first matching event of a key; `blackhole` keeps it from firing on every one. */
export function createTriggerHandler(): KindHandler {
  return {
    init: () => ({}),
    reset: (state) => state,
    drained: () => true,
    drainsAt: () => Number.NEGATIVE_INFINITY,
    pour: () => FIRE,
  };
}
