import type { Change } from './inspect.js';

/** Per-tree state of the ransomware detector. */
interface TreeState<S> {
  /** Times of suspicious changes within the window. */
  times: number[];
  held: { change: Change; timer: NodeJS.Timeout }[];
  /** Bytes of suspicious content seen since the window opened (sizes the writer's output). */
  bytes: number;
  /** The writer search, started half-way to a burst so the freeze does not wait for it. */
  suspect?: Promise<S> | undefined;
  /** Until when further changes fold into a declared burst. */
  burstUntil: number;
}

export interface BurstSettings {
  readonly files: number;
  readonly windowMs: number;
  readonly holdMs: number;
  readonly entropy: number;
}

export type BurstVerdict<S> =
  | { readonly kind: 'pass' }
  | { readonly kind: 'held' }
  | { readonly kind: 'folded' }
  | { readonly kind: 'burst'; readonly changes: Change[]; readonly suspect: Promise<S> };

/**
 * Counts suspicious changes (high-entropy content, removals) per protected tree in a sliding
 * window. A suspicious change is held for `holdMs` so that, if a burst follows, it is healed
 * with the burst (one incident, one freeze, one tree restore) rather than as its own
 * decision: 200 per-file decisions would also trip the policy's breaker. A change that is not
 * suspicious (a defaced page is text) passes at once.
 *
 * The search for the writer is the slow part (reading /proc on a busy host), so it starts at
 * the first suspicious change (`start`) and is narrowed half-way to the threshold (`narrow`):
 * by the time the burst is declared, the culprit is usually known and the freeze is immediate.
 */
export function createBurstTracker<T, S>(
  settings: BurstSettings,
  deps: {
    now(): number;
    start(root: string): Promise<T>;
    narrow(root: string, first: Promise<T>, bytes: () => number): Promise<S>;
    release(change: Change): void;
  },
) {
  const trees = new Map<string, TreeState<S> & { first?: Promise<T> | undefined; openedAt: number }>();
  const state = (root: string) => {
    let s = trees.get(root);
    if (!s) {
      s = { times: [], held: [], bytes: 0, burstUntil: 0, openedAt: 0 };
      trees.set(root, s);
    }
    return s;
  };
  return {
    observe(change: Change, ent: number | undefined): BurstVerdict<S> {
      const now = deps.now();
      const root = change.root.root;
      const s = state(root);
      if (now < s.burstUntil) {
        s.burstUntil = now + settings.windowMs;
        s.bytes += change.after?.size ?? 0;
        return { kind: 'folded' };
      }
      const suspicious =
        change.kind === 'removed' ||
        ((change.kind === 'added' || change.kind === 'modified') && ent !== undefined && ent >= settings.entropy);
      if (!suspicious) return { kind: 'pass' };
      s.times = s.times.filter((t) => t > now - settings.windowMs);
      if (s.times.length === 0 || now - s.openedAt > settings.windowMs) {
        s.first = deps.start(root);
        s.suspect = undefined;
        s.openedAt = now;
        s.bytes = 0;
      }
      s.times.push(now);
      s.bytes += change.after?.size ?? 0;
      if (!s.suspect && s.first && s.times.length >= Math.ceil(settings.files / 2)) {
        s.suspect = deps.narrow(root, s.first, () => s.bytes);
      }
      if (s.times.length >= settings.files) {
        const changes = [...s.held.map((h) => h.change), change];
        for (const h of s.held) clearTimeout(h.timer);
        const suspect = s.suspect ?? deps.narrow(root, s.first ?? deps.start(root), () => s.bytes);
        s.held = [];
        s.times = [];
        s.first = undefined;
        s.suspect = undefined;
        s.burstUntil = now + settings.windowMs;
        return { kind: 'burst', changes, suspect };
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
