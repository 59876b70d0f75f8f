import { type NftSetRef, setsCovering } from './nft-json.js';
import type { Lab } from './topology.js';

/**
 * Which of the victim's nft sets hold `addr` right now (`nft -j list ruleset` inside the
 * victim namespace). `only` narrows to one table or one set, e.g. Leuko's `inet leuko ban4`.
 */
export async function victimSetsHolding(
  lab: Lab,
  addr: string,
  only?: { family: string; table: string; set?: string },
): Promise<NftSetRef[]> {
  const argv = only
    ? only.set
      ? ['nft', '-j', 'list', 'set', only.family, only.table, only.set]
      : ['nft', '-j', 'list', 'table', only.family, only.table]
    : ['nft', '-j', 'list', 'ruleset'];
  const r = await lab.exec('victim', argv, { timeoutMs: 5000 });
  if (r.code !== 0 || r.stdout.trim() === '') return []; // table/set not created yet
  try {
    return setsCovering(JSON.parse(r.stdout), addr);
  } catch {
    return [];
  }
}
