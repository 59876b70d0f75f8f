import type { NftListing } from '../../platform/nft/json.js';
import { isInterval, type Layout, SET_NAMES, type SetName, structureRepair } from './layout.js';
import { type BanTarget, contains, targetFromNft } from './target.js';

export interface PresentElement {
  readonly target: BanTarget;
  /** Milliseconds the kernel still keeps it; undefined when it has no timeout at all. */
  readonly expiresMs: number | undefined;
  readonly packets: number | undefined;
}

/** What is enforced right now, from one `nft -j list table` call. */
export interface Snapshot {
  /** Statements that repair the structure; empty when it is right. */
  readonly repair: readonly string[];
  readonly problems: readonly string[];
  /** Present elements by set, keyed by canonical text. Sets about to be re-made count as empty. */
  readonly present: ReadonlyMap<SetName, ReadonlyMap<string, PresentElement>>;
  /** Listed values Leuko cannot read back (never written by Leuko); left alone. */
  readonly unreadable: number;
}

export function snapshotFrom(layout: Layout, listing: NftListing): Snapshot {
  const { statements, problems, recreated } = structureRepair(layout, listing);
  const present = new Map<SetName, Map<string, PresentElement>>();
  let unreadable = 0;
  for (const name of SET_NAMES) {
    if (recreated.has(name)) {
      present.set(name, new Map());
      continue;
    }
    const { elements, unreadable: n } = elementsOf(layout, listing, name);
    present.set(name, elements);
    unreadable += n;
  }
  return { repair: statements, problems, present, unreadable };
}

/** The elements of one of Leuko's sets in a listing (of the table or of just that set). */
export function elementsOf(
  layout: Layout,
  listing: NftListing,
  name: SetName,
): { elements: Map<string, PresentElement>; unreadable: number } {
  const elements = new Map<string, PresentElement>();
  let unreadable = 0;
  const set = listing.sets.find((s) => s.family === layout.family && s.table === layout.table && s.name === name);
  for (const el of set?.elem ?? []) {
    const target = targetFromNft(el.val);
    if (!target) {
      unreadable++;
      continue;
    }
    elements.set(target.text, {
      target,
      expiresMs: el.expires === undefined ? undefined : el.expires * 1000,
      packets: el.counter?.packets,
    });
  }
  return { elements, unreadable };
}

/** The present element equal to or containing `target` in any of the given sets. */
export function findCovering(
  snapshot: Snapshot,
  sets: readonly SetName[],
  target: BanTarget,
): { set: SetName; element: PresentElement } | undefined {
  for (const set of sets) {
    const map = snapshot.present.get(set);
    if (!map) continue;
    const exact = map.get(target.text);
    if (exact) return { set, element: exact };
  }
  // Only an interval can contain something other than itself.
  for (const set of sets) {
    if (!isInterval(set)) continue;
    for (const element of snapshot.present.get(set)?.values() ?? []) {
      if (contains(element.target, target)) return { set, element };
    }
  }
  return undefined;
}
