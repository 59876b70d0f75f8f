import type { Wanted } from './desired.js';
import { isInterval, type Layout, SET_NAMES, type SetName, tableRef } from './layout.js';
import type { Snapshot } from './snapshot.js';
import { addStatements, MAX_TIMEOUT_S, removeStatements, type TimedTarget } from './statements.js';
import type { BanTarget } from './target.js';

/**
 * Above this many removals from an interval set, rewriting the set (flush + add everything
 * wanted, in the same transaction, so nothing is unenforced in between) is far cheaper than
 * deleting one by one: nft 1.0 deletes from a 10 000-element interval set at ~2 ms each.
 */
const FLUSH_THRESHOLD = 64;

export interface SetDiff {
  readonly statements: readonly string[];
  readonly added: number;
  readonly refreshed: number;
  readonly removed: number;
}

/**
 * What to change so that each set holds exactly the wanted elements with about the wanted
 * timeouts. `toleranceMs` keeps a healthy pass from rewriting everything: the kernel reports
 * expiry in whole seconds and the clocks never agree to the millisecond.
 */
export function diffSet(
  layout: Layout,
  set: SetName,
  present: ReadonlyMap<string, { readonly target: BanTarget; readonly expiresMs: number | undefined }>,
  wanted: ReadonlyMap<string, Wanted>,
  toleranceMs: number,
): SetDiff {
  const stale: BanTarget[] = [];
  const missing: TimedTarget[] = [];
  const refresh: TimedTarget[] = [];
  for (const [key, p] of present) if (!wanted.has(key)) stale.push(p.target);
  for (const [key, w] of wanted) {
    const p = present.get(key);
    const item = { target: w.target, remainingMs: w.remainingMs };
    if (!p) missing.push(item);
    else if (
      p.expiresMs === undefined ||
      Math.abs(p.expiresMs - Math.min(w.remainingMs, MAX_TIMEOUT_S * 1000)) > toleranceMs
    ) {
      // No timeout at all (added by hand) or a timeout far from the decision's: set it right.
      refresh.push(item);
    }
  }
  const counts = { added: missing.length, refreshed: refresh.length, removed: stale.length };
  if (stale.length === 0 && missing.length === 0 && refresh.length === 0) return { statements: [], ...counts };
  if (isInterval(set) && stale.length > FLUSH_THRESHOLD) {
    const all = [...wanted.values()].map((w) => ({ target: w.target, remainingMs: w.remainingMs }));
    return { statements: [`flush set ${tableRef(layout)} ${set}`, ...addStatements(layout, set, all)], ...counts };
  }
  return {
    statements: [
      ...removeStatements(layout, set, [...stale, ...refresh.map((r) => r.target)]),
      ...addStatements(layout, set, [...missing, ...refresh]),
    ],
    ...counts,
  };
}

export function diffAll(
  layout: Layout,
  snapshot: Snapshot,
  wanted: ReadonlyMap<SetName, ReadonlyMap<string, Wanted>>,
  toleranceMs: number,
): Map<SetName, SetDiff> {
  const out = new Map<SetName, SetDiff>();
  for (const set of SET_NAMES) {
    out.set(
      set,
      diffSet(layout, set, snapshot.present.get(set) ?? new Map(), wanted.get(set) ?? new Map(), toleranceMs),
    );
  }
  return out;
}
