import { isInterval, type Layout, type SetName, tableRef } from './layout.js';
import type { BanTarget } from './target.js';

/** Ten years: longer timeouts work in the kernel, but nothing Leuko decides lasts that long. */
export const MAX_TIMEOUT_S = 10 * 365 * 86_400;

/**
 * Remaining TTL as nft text. Never below 1 s: `timeout 0ms` is read by nft as "no timeout",
 * which would turn an almost-expired ban into a permanent one.
 */
export function timeoutText(remainingMs: number): string {
  return `timeout ${timeoutSeconds(remainingMs)}s`;
}

export function timeoutSeconds(remainingMs: number): number {
  return Math.min(MAX_TIMEOUT_S, Math.max(1, Math.ceil(remainingMs / 1000)));
}

export interface TimedTarget {
  readonly target: BanTarget;
  readonly remainingMs: number;
}

/** One statement for many elements: nft parses a 10 000-element list in tens of ms. */
function elements(layout: Layout, verb: 'add' | 'delete', set: SetName, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`${verb} element ${tableRef(layout)} ${set} { ${items.join(', ')} }`];
}

/** Plain add: a no-op for an element already present (its timeout is kept). */
export function addStatements(layout: Layout, set: SetName, items: readonly TimedTarget[]): string[] {
  return elements(
    layout,
    'add',
    set,
    items.map((i) => `${i.target.text} ${timeoutText(i.remainingMs)}`),
  );
}

/**
 * Delete that cannot fail on an absent element: add it first (a no-op when present), then
 * delete, in the same transaction. An element can expire between our listing and our delete;
 * a bare delete would then fail the whole batch.
 */
export function safeDeleteStatements(layout: Layout, set: SetName, targets: readonly BanTarget[]): string[] {
  return [
    ...elements(
      layout,
      'add',
      set,
      targets.map((t) => `${t.text} timeout 1s`),
    ),
    ...elements(
      layout,
      'delete',
      set,
      targets.map((t) => t.text),
    ),
  ];
}

/**
 * Remove elements known to be present (just listed). Address sets use the safe delete. Interval
 * sets must not: nft 1.0's userspace overlap check miscounts an add-then-delete of an existing
 * interval and rejects a covering range added later in the same batch, so there a plain delete
 * is used, and a failed batch (an element expired meanwhile) is retried from a fresh listing.
 */
export function removeStatements(layout: Layout, set: SetName, targets: readonly BanTarget[]): string[] {
  if (!isInterval(set)) return safeDeleteStatements(layout, set, targets);
  return elements(
    layout,
    'delete',
    set,
    targets.map((t) => t.text),
  );
}

/**
 * Set the timeout of elements whether or not they exist: safe delete, then add. `add element`
 * alone keeps an existing element's old timeout, so an escalated (longer) ban would lapse early.
 */
export function refreshStatements(layout: Layout, set: SetName, items: readonly TimedTarget[]): string[] {
  return [
    ...safeDeleteStatements(
      layout,
      set,
      items.map((i) => i.target),
    ),
    ...addStatements(layout, set, items),
  ];
}
