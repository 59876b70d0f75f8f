/**
 * How many newcomers one established entity may vouch for (see `usualForRole` in
 * anomaly-detector.ts): VOUCHES_PER_DAY distinct ones in any day of event time. A shop's second
 * editor or an app's new install needs one voucher; a botnet that copies one primed address's
 * requests from hundreds of new ones gets VOUCHES_PER_DAY of them through per primed address,
 * each of which had to spend hours being judged ordinary and never flagged, so the pass cannot
 * be multiplied cheaply. The list is bounded by the same number.
 */
export const VOUCHES_PER_DAY = 2;
const DAY = 86_400_000;

/** Newcomers vouched for (entity key, event time of the first vouch), the last day's only. */
export type Vouched = [string, number][];

/** Whether an entity with this list may vouch for `who` at `now` (again, or as a new one). */
export function canVouch(list: Vouched | undefined, who: string, now: number): boolean {
  let live = 0;
  for (const [k, t] of list ?? []) {
    if (now - t >= DAY) continue;
    if (k === who) return true;
    live++;
  }
  return live < VOUCHES_PER_DAY;
}

/** The list after vouching for `who` at `now` (expired entries dropped). */
export function recordVouch(list: Vouched | undefined, who: string, now: number): Vouched {
  const live = (list ?? []).filter(([, t]) => now - t < DAY);
  if (!live.some(([k]) => k === who)) live.push([who, now]);
  return live;
}
