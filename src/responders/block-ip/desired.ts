import type { Decision } from '../../core/decision.js';
import { isInterval, SET_NAMES, type SetName, setFor } from './layout.js';
import { type BanTarget, neverBan, parseTarget } from './target.js';

/** Returns why a target must not be banned, or undefined when it may be. */
export type Guard = (target: BanTarget) => string | undefined;

/**
 * The last line of defence, checked before every add however the decision got here: loopback
 * and the unspecified address never, then the policy's allowlist (`protect`). A protect
 * callback that throws refuses: failing closed here means not banning, never banning blindly.
 */
export function createGuard(protect: ((addr: string) => boolean) | undefined): Guard {
  return (target) => {
    const never = neverBan(target);
    if (never !== undefined) return `${target.text} overlaps ${never}, which is never banned`;
    if (!protect) return undefined;
    try {
      return protect(target.text) ? `${target.text} is protected (allowlist)` : undefined;
    } catch (e) {
      return `protect check failed for ${target.text}: ${(e as Error).message}`;
    }
  };
}

export function isBanDecision(d: Decision): boolean {
  return d.action === 'ban' && (d.scope === 'ip' || d.scope === 'range');
}

export type Selected =
  | { readonly kind: 'wanted'; readonly set: SetName; readonly target: BanTarget; readonly remainingMs: number }
  | { readonly kind: 'expired' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** Classify one decision against the guard and the clock. */
export function select(d: Decision, now: number, guard: Guard): Selected {
  if (!isBanDecision(d)) return { kind: 'invalid', reason: `not a ban of an ip or range (${d.scope}/${d.action})` };
  const target = parseTarget(d.value);
  if (!target)
    return { kind: 'invalid', reason: `${JSON.stringify(String(d.value).slice(0, 80))} is not an address or CIDR` };
  if (d.scope === 'ip' && !target.single)
    return { kind: 'invalid', reason: `scope ip with a range value ${target.text}` };
  if (!Number.isFinite(d.expiresAt)) return { kind: 'invalid', reason: 'expiresAt is not a finite time' };
  const remainingMs = d.expiresAt - now;
  if (remainingMs <= 0) return { kind: 'expired' };
  const refused = guard(target);
  if (refused !== undefined) return { kind: 'refused', reason: refused };
  return { kind: 'wanted', set: setFor(target), target, remainingMs };
}

export interface Wanted {
  readonly target: BanTarget;
  /** The longest remaining TTL among the decisions asking for it. */
  remainingMs: number;
}

/**
 * Elements wanted per set: duplicates merged (longest TTL wins), and in the interval sets only
 * the outermost CIDRs (nft cannot hold a range inside another; the outer one already drops the
 * inner one's traffic). Returns which inner range each dropped one is covered by.
 */
export function wantedSets(selected: Iterable<Selected>): {
  wanted: Map<SetName, Map<string, Wanted>>;
  coveredBy: Map<string, string>;
} {
  const wanted = new Map<SetName, Map<string, Wanted>>(SET_NAMES.map((n) => [n, new Map()]));
  for (const s of selected) {
    if (s.kind !== 'wanted') continue;
    const map = wanted.get(s.set)!;
    const prev = map.get(s.target.text);
    if (prev) prev.remainingMs = Math.max(prev.remainingMs, s.remainingMs);
    else map.set(s.target.text, { target: s.target, remainingMs: s.remainingMs });
  }
  const coveredBy = new Map<string, string>();
  for (const set of SET_NAMES) {
    if (!isInterval(set)) continue;
    const map = wanted.get(set)!;
    // CIDRs either nest or are disjoint: sorted by start, then widest first, each one is
    // inside the last kept one or after its end.
    const sorted = [...map.values()].sort((a, b) =>
      a.target.start !== b.target.start
        ? a.target.start < b.target.start
          ? -1
          : 1
        : a.target.end > b.target.end
          ? -1
          : 1,
    );
    let outer: Wanted | undefined;
    for (const w of sorted) {
      if (outer && w.target.start <= outer.target.end) {
        coveredBy.set(w.target.text, outer.target.text);
        map.delete(w.target.text);
      } else outer = w;
    }
  }
  return { wanted, coveredBy };
}
