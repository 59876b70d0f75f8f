import type { NftListing, NftRule, NftSet } from '../../platform/nft/json.js';
import type { BanTarget } from './target.js';

/**
 * Leuko's own table. Single addresses live in hash sets (ban4/ban6): deleting from those is
 * cheap, and an address ban keeps its own timeout even when a range ban covers it. CIDRs live
 * in interval sets (range4/range6), which nft 1.0 cannot hold overlapping elements in and
 * deletes from slowly (about 2 ms per element in a 10 000-element interval set, measured), so
 * addresses are kept out of them.
 */
export interface Layout {
  readonly family: 'inet';
  readonly table: string;
  /** Hook priority: -150 runs after conntrack and before the usual filter chains (0). */
  readonly priority: number;
}

export type SetName = 'ban4' | 'ban6' | 'range4' | 'range6';
export const SET_NAMES: readonly SetName[] = ['ban4', 'ban6', 'range4', 'range6'];
const CHAINS = ['input', 'forward'] as const;

export function setFor(target: BanTarget): SetName {
  if (target.single) return target.family === 4 ? 'ban4' : 'ban6';
  return target.family === 4 ? 'range4' : 'range6';
}

export function isInterval(set: SetName): boolean {
  return set === 'range4' || set === 'range6';
}

function setSpec(name: SetName): { type: string; flags: readonly string[] } {
  return {
    type: name.endsWith('4') ? 'ipv4_addr' : 'ipv6_addr',
    flags: isInterval(name) ? ['interval', 'timeout'] : ['timeout'],
  };
}

export function tableRef(layout: Layout): string {
  return `${layout.family} ${layout.table}`;
}

function addSet(layout: Layout, name: SetName): string {
  const spec = setSpec(name);
  // `counter;` gives every element its own packet counter, so verify can show hits.
  return `add set ${tableRef(layout)} ${name} { type ${spec.type}; flags ${spec.flags.join(', ')}; counter; }`;
}

function addChain(layout: Layout, chain: string): string {
  return `add chain ${tableRef(layout)} ${chain} { type filter hook ${chain} priority ${layout.priority}; policy accept; }`;
}

/** The drop rules of one chain, in order, as nft statements and as listing signatures. */
function chainRules(layout: Layout, chain: string): { statement: string; signature: string }[] {
  return SET_NAMES.map((set) => {
    const proto = set.endsWith('4') ? 'ip' : 'ip6';
    return {
      statement: `add rule ${tableRef(layout)} ${chain} ${proto} saddr @${set} counter drop`,
      signature: `${proto} saddr == @${set} | counter | drop`,
    };
  });
}

/** A listed rule reduced to a comparable text; unknown expressions keep their JSON. */
export function ruleSignature(rule: NftRule): string {
  return rule.expr
    .map((e) => {
      const m = e['match'] as {
        op?: string;
        left?: { payload?: { protocol?: string; field?: string } };
        right?: unknown;
      };
      if (m?.left?.payload) return `${m.left.payload.protocol} ${m.left.payload.field} ${m.op} ${String(m.right)}`;
      const key = Object.keys(e)[0] ?? '';
      return key === 'counter' || key === 'drop' || key === 'accept' ? key : JSON.stringify(e);
    })
    .join(' | ');
}

function setMatches(set: NftSet, name: SetName): boolean {
  const spec = setSpec(name);
  const flags = [...(set.flags ?? [])].sort();
  return set.type === spec.type && flags.join(',') === [...spec.flags].sort().join(',');
}

/**
 * Statements that make the table's structure right without touching elements of sets that are
 * already right: nothing when all is in place (so a healthy reconcile writes nothing). A set
 * of the wrong type is replaced (its elements are re-added by the caller's diff, since the
 * caller then sees it as empty). Returns which sets were (re)created.
 */
export function structureRepair(
  layout: Layout,
  listing: NftListing,
): { statements: string[]; problems: string[]; recreated: Set<SetName> } {
  const t = tableRef(layout);
  const statements: string[] = [];
  const problems: string[] = [];
  const recreated = new Set<SetName>();
  const mine = (x: { family: string; table: string }) => x.family === layout.family && x.table === layout.table;
  const hasTable = listing.tables.some((x) => x.family === layout.family && x.name === layout.table);
  if (!hasTable) problems.push(`table ${t} missing`);

  const badSets: SetName[] = [];
  for (const name of SET_NAMES) {
    const set = listing.sets.find((s) => mine(s) && s.name === name);
    if (!set) {
      problems.push(`set ${name} missing`);
      recreated.add(name);
    } else if (!setMatches(set, name)) {
      problems.push(`set ${name} has the wrong type or flags`);
      badSets.push(name);
      recreated.add(name);
    }
  }
  const chainFixes: string[] = [];
  let flushAll = badSets.length > 0;
  for (const chain of CHAINS) {
    const listed = listing.chains.find((c) => mine(c) && c.name === chain);
    const expected = chainRules(layout, chain);
    const hookOk =
      listed !== undefined &&
      listed.hook === chain &&
      listed.prio === layout.priority &&
      listed.policy === 'accept' &&
      listed.type === 'filter';
    if (!listed) problems.push(`chain ${chain} missing`);
    else if (!hookOk) problems.push(`chain ${chain} has the wrong hook, priority or policy`);
    const rules = listing.rules.filter((r) => mine(r) && r.chain === chain).map(ruleSignature);
    const rulesOk = rules.length === expected.length && rules.every((s, i) => s === expected[i]?.signature);
    if (listed && !rulesOk) problems.push(`chain ${chain} rules differ`);
    if (listed && !hookOk) {
      flushAll = true;
      chainFixes.push(`delete chain ${t} ${chain}`, addChain(layout, chain));
      chainFixes.push(...expected.map((r) => r.statement));
    } else if (!listed || !rulesOk || badSets.length > 0) {
      if (listed) chainFixes.push(`flush chain ${t} ${chain}`);
      else chainFixes.push(addChain(layout, chain));
      chainFixes.push(...expected.map((r) => r.statement));
    }
  }
  if (problems.length === 0) return { statements, problems, recreated };

  statements.push(`add table ${t}`);
  // Rules reference sets: empty the chains before a set can be deleted and re-made.
  if (flushAll) {
    for (const chain of CHAINS) {
      if (listing.chains.some((c) => mine(c) && c.name === chain)) statements.push(`flush chain ${t} ${chain}`);
    }
  }
  for (const name of badSets) statements.push(`delete set ${t} ${name}`);
  for (const name of SET_NAMES) {
    if (recreated.has(name)) statements.push(addSet(layout, name));
  }
  // A chain flushed above does not need flushing twice; nft accepts it, but keep it readable.
  statements.push(...chainFixes.filter((s) => !(flushAll && s.startsWith('flush chain'))));
  return { statements, problems, recreated };
}

/** The whole structure from nothing (used by plan and when the table is gone). */
export function fullStructure(layout: Layout): string[] {
  return structureRepair(layout, { tables: [], sets: [], chains: [], rules: [] }).statements;
}
