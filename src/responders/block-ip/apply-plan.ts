import type { Wanted } from './desired.js';
import type { Layout, SetName } from './layout.js';
import type { PresentElement } from './snapshot.js';
import { addStatements, refreshStatements, removeStatements, type TimedTarget } from './statements.js';
import { contains, overlaps } from './target.js';

/** What applying one wanted element does. */
export type ElementResult =
  | { readonly kind: 'added' }
  | { readonly kind: 'refreshed' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'covered'; readonly by: string };

/**
 * Apply to an address set without listing it first (the hot path: a ban must be in force
 * within milliseconds). `knownUntil` is what this responder last wrote: an element known to
 * outlast the new one gets a plain add (a no-op if present, an add if someone removed it), so
 * a shorter decision never cuts a longer ban short; otherwise the timeout is set outright.
 */
export function planAddressSet(
  layout: Layout,
  set: SetName,
  wanted: readonly Wanted[],
  knownUntil: (set: SetName, key: string) => number | undefined,
  now: number,
  toleranceMs: number,
): { statements: string[]; results: Map<string, ElementResult> } {
  const plain: TimedTarget[] = [];
  const refresh: TimedTarget[] = [];
  const results = new Map<string, ElementResult>();
  for (const w of wanted) {
    const until = knownUntil(set, w.target.text);
    const item = { target: w.target, remainingMs: w.remainingMs };
    if (until !== undefined && until >= now + w.remainingMs - toleranceMs) {
      // Re-assert the longer TTL we wrote: newer kernels (6.10+) update the timeout of an
      // element re-added with `add element`, older ones keep it; either way it stays the longer.
      plain.push({ target: w.target, remainingMs: Math.max(w.remainingMs, until - now) });
      results.set(w.target.text, { kind: 'unchanged' });
    } else {
      refresh.push(item);
      results.set(w.target.text, { kind: until === undefined ? 'added' : 'refreshed' });
    }
  }
  return {
    statements: [...addStatements(layout, set, plain), ...refreshStatements(layout, set, refresh)],
    results,
  };
}

/**
 * Apply to an interval set, given its listed elements: nft refuses overlapping intervals, so a
 * range inside a present one is reported as covered, and present ranges inside (or partly
 * overlapping) a new one are removed in the same transaction before it is added.
 */
export function planRangeSet(
  layout: Layout,
  set: SetName,
  wanted: readonly Wanted[],
  present: ReadonlyMap<string, PresentElement>,
  toleranceMs: number,
): { statements: string[]; results: Map<string, ElementResult> } {
  const results = new Map<string, ElementResult>();
  const remove = new Map<string, PresentElement>();
  const add: TimedTarget[] = [];
  const refresh: TimedTarget[] = [];
  for (const w of wanted) {
    const item = { target: w.target, remainingMs: w.remainingMs };
    const exact = present.get(w.target.text);
    if (exact) {
      if (exact.expiresMs !== undefined && exact.expiresMs >= w.remainingMs - toleranceMs) {
        results.set(w.target.text, { kind: 'unchanged' });
      } else {
        refresh.push(item);
        results.set(w.target.text, { kind: 'refreshed' });
      }
      continue;
    }
    const cover = [...present.values()].find((p) => contains(p.target, w.target));
    if (cover) {
      results.set(w.target.text, { kind: 'covered', by: cover.target.text });
      continue;
    }
    for (const p of present.values()) if (overlaps(p.target, w.target)) remove.set(p.target.text, p);
    add.push(item);
    results.set(w.target.text, { kind: 'added' });
  }
  return {
    statements: [
      ...removeStatements(layout, set, [...[...remove.values()].map((p) => p.target), ...refresh.map((r) => r.target)]),
      ...addStatements(layout, set, [...refresh, ...add]),
    ],
    results,
  };
}
