import type { Change } from './inspect.js';
import type { WriteSample } from './writer.js';

/** Per-tree state of the ransomware detector. */
interface TreeState {
  /** Times of suspicious changes within the window. */
  times: number[];
  held: { change: Change; timer: NodeJS.Timeout }[];
  /** First /proc write sample, taken at the first suspicious change. */
  sample?: Promise<WriteSample> | undefined;
  sampledAt: number;
  /** Until when further changes fold into a declared burst. */
  burstUntil: number;
}

export interface BurstSettings {
  readonly files: number;
  readonly windowMs: number;
  readonly holdMs: number;
  readonly entropy: number;
}

export type BurstVerdict =
  | { readonly kind: 'pass' }
  | { readonly kind: 'held' }
  | { readonly kind: 'folded' }
  | {
      readonly kind: 'burst';
      readonly changes: Change[];
      readonly sample: Promise<WriteSample>;
      readonly sampledAt: number;
    };

/**
 * Counts suspicious changes (high-entropy content, removals) per protected tree in a sliding
 * window. A suspicious change is held for `holdMs` so that, if a burst follows, it is healed
 * with the burst (one incident, one freeze, one tree restore) rather than as its own
 * decision: 200 per-file decisions would also trip the policy's breaker. A change that is not
 * suspicious (a defaced page is text) passes at once.
 */
export function createBurstTracker(
  settings: BurstSettings,
  deps: { now(): number; sample(): Promise<WriteSample>; release(change: Change): void },
) {
  const trees = new Map<string, TreeState>();
  const state = (root: string): TreeState => {
    let s = trees.get(root);
    if (!s) {
      s = { times: [], held: [], sampledAt: 0, burstUntil: 0 };
      trees.set(root, s);
    }
    return s;
  };
  return {
    observe(change: Change, ent: number | undefined): BurstVerdict {
      const now = deps.now();
      const s = state(change.root.root);
      if (now < s.burstUntil) {
        s.burstUntil = now + settings.windowMs;
        return { kind: 'folded' };
      }
      const suspicious =
        change.kind === 'removed' ||
        ((change.kind === 'added' || change.kind === 'modified') && ent !== undefined && ent >= settings.entropy);
      if (!suspicious) return { kind: 'pass' };
      s.times = s.times.filter((t) => t > now - settings.windowMs);
      s.times.push(now);
      if (!s.sample || now - s.sampledAt > settings.windowMs) {
        s.sample = deps.sample();
        s.sampledAt = now;
      }
      if (s.times.length >= settings.files) {
        const changes = [...s.held.map((h) => h.change), change];
        for (const h of s.held) clearTimeout(h.timer);
        s.held = [];
        s.times = [];
        s.burstUntil = now + settings.windowMs;
        const sample = s.sample;
        const sampledAt = s.sampledAt;
        s.sample = undefined;
        return { kind: 'burst', changes, sample, sampledAt };
      }
      const timer = setTimeout(() => {
        s.held = s.held.filter((h) => h.timer !== timer);
        deps.release(change);
      }, settings.holdMs);
      timer.unref();
      s.held.push({ change, timer });
      return { kind: 'held' };
    },
    /** Whether a burst is being healed in this tree (changes there fold into it). */
    inBurst(root: string): boolean {
      return deps.now() < (trees.get(root)?.burstUntil ?? 0);
    },
    close() {
      for (const s of trees.values()) for (const h of s.held) clearTimeout(h.timer);
      trees.clear();
    },
  };
}
