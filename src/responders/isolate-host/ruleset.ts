import type { NftListing } from '../../platform/nft/json.js';
import { timeoutSeconds } from '../block-ip/statements.js';
import type { BanTarget } from '../block-ip/target.js';

/**
 * The isolation table. Its chains accept loopback, the management addresses (and connections
 * and ICMP errors belonging to them), IPv6 neighbour discovery (without it no IPv6 management
 * address is reachable on the link), and drop the rest — but only while the `armed` set holds
 * its elements. Those carry the decision's TTL, so the kernel lifts the isolation on time even
 * if Leuko dies: an isolated host with a dead Leuko must not stay cut off for ever.
 */
export interface IsolationLayout {
  readonly family: 'inet';
  readonly table: string;
  readonly priority: number;
}

export function isolationScript(
  layout: IsolationLayout,
  management: readonly BanTarget[],
  remainingMs: number,
): string[] {
  const t = `${layout.family} ${layout.table}`;
  const v4 = management.filter((m) => m.family === 4).map((m) => m.text);
  const v6 = management.filter((m) => m.family === 6).map((m) => m.text);
  const elements = (items: string[]) => (items.length > 0 ? ` elements = { ${items.join(', ')} };` : '');
  const ttl = `timeout ${timeoutSeconds(remainingMs)}s`;
  const chain = (name: 'input' | 'output' | 'forward') => {
    const dir = name === 'output' ? 'daddr' : 'saddr';
    const iface = name === 'output' ? 'oif lo accept' : name === 'input' ? 'iif lo accept' : undefined;
    const lines = [
      `  chain ${name} {`,
      `    type filter hook ${name} priority ${layout.priority}; policy accept;`,
      ...(iface ? [`    ${iface}`] : []),
      `    ip ${dir} @mgmt4 accept`,
      `    ip6 ${dir} @mgmt6 accept`,
    ];
    if (name === 'forward') lines.push('    ip daddr @mgmt4 accept', '    ip6 daddr @mgmt6 accept');
    if (name !== 'output') {
      // ICMP errors and other related packets of management connections come from routers on
      // the path, not from the management address itself.
      lines.push(
        '    ct state established,related ct original ip saddr @mgmt4 accept',
        '    ct state established,related ct original ip daddr @mgmt4 accept',
        '    ct state established,related ct original ip6 saddr @mgmt6 accept',
        '    ct state established,related ct original ip6 daddr @mgmt6 accept',
      );
    }
    if (name !== 'forward') {
      lines.push(
        '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept',
      );
    }
    lines.push('    meta nfproto @armed counter drop', '  }');
    return lines;
  };
  return [
    // add + delete + define in one transaction: an atomic replace, never a moment without isolation.
    `add table ${t}`,
    `delete table ${t}`,
    `table ${t} {`,
    `  set mgmt4 { type ipv4_addr; flags interval;${elements(v4)} }`,
    `  set mgmt6 { type ipv6_addr; flags interval;${elements(v6)} }`,
    `  set armed { type nf_proto; flags timeout; elements = { ipv4 ${ttl}, ipv6 ${ttl} }; }`,
    ...chain('input'),
    ...chain('output'),
    ...chain('forward'),
    '}',
  ];
}

export interface IsolationState {
  readonly present: boolean;
  /** Milliseconds until the kernel lifts isolation; 0 when armed is empty (lapsed). */
  readonly armedMs: number;
  /** Why the listed table would not isolate as intended; empty when it would. */
  readonly problems: readonly string[];
  /** Management entries in the listed sets, canonical text. */
  readonly management: readonly string[];
}

function prefixText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'prefix' in v) {
    const p = (v as { prefix: { addr: string; len: number } }).prefix;
    return `${p.addr}/${p.len}`;
  }
  return undefined;
}

/** Read an isolation table listing back. */
export function isolationState(layout: IsolationLayout, listing: NftListing): IsolationState {
  const mine = <T extends { family: string; table: string }>(x: T) =>
    x.family === layout.family && x.table === layout.table;
  const present = listing.tables.some((x) => x.family === layout.family && x.name === layout.table);
  if (!present) return { present, armedMs: 0, problems: ['isolation table absent'], management: [] };
  const problems: string[] = [];
  const armed = listing.sets.find((s) => mine(s) && s.name === 'armed');
  const expiries = (armed?.elem ?? []).map((e) => (e.expires ?? 0) * 1000);
  const armedMs = expiries.length === 2 ? Math.min(...expiries) : 0;
  if (armedMs <= 0) problems.push('isolation is not armed (lapsed or incomplete)');
  for (const name of ['input', 'output', 'forward']) {
    const chain = listing.chains.find((c) => mine(c) && c.name === name);
    if (!chain || chain.hook !== name || chain.prio !== layout.priority) {
      problems.push(`chain ${name} missing or wrongly hooked`);
      continue;
    }
    const rules = listing.rules.filter((r) => mine(r) && r.chain === name);
    const last = JSON.stringify(rules.at(-1)?.expr ?? []);
    if (!last.includes('"@armed"') || !last.includes('"drop"')) problems.push(`chain ${name} lacks its final drop`);
  }
  const management = listing.sets
    .filter((s) => mine(s) && (s.name === 'mgmt4' || s.name === 'mgmt6'))
    .flatMap((s) => (s.elem ?? []).map((e) => prefixText(e.val)).filter((x): x is string => x !== undefined));
  return { present, armedMs, problems, management };
}
