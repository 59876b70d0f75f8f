import ipaddr from 'ipaddr.js';

/**
 * One set element from `nft -j` output, reduced to what decides "is this address covered":
 * a plain address, a prefix or a range. Elements with timeouts wrap the value in
 * `{ "elem": { "val": ... } }`; interval sets use `{ "prefix": ... }` or `{ "range": [a, b] }`.
 */
export type NftElement =
  | { readonly kind: 'addr'; readonly addr: string }
  | { readonly kind: 'prefix'; readonly addr: string; readonly len: number }
  | { readonly kind: 'range'; readonly from: string; readonly to: string };

export function toElements(value: unknown): NftElement[] {
  if (typeof value === 'string') return [{ kind: 'addr', addr: value }];
  if (Array.isArray(value)) return value.flatMap(toElements);
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if ('set' in o) return toElements(o['set']);
  if ('elem' in o) return toElements(o['elem']);
  if ('val' in o) return toElements(o['val']);
  const p = o['prefix'] as { addr?: unknown; len?: unknown } | undefined;
  if (p && typeof p.addr === 'string' && typeof p.len === 'number')
    return [{ kind: 'prefix', addr: p.addr, len: p.len }];
  const r = o['range'];
  if (Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'string') {
    return [{ kind: 'range', from: r[0], to: r[1] }];
  }
  return [];
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Whether an element covers `addr` (a ban on 10.77.5.0/24 covers 10.77.5.10). */
export function covers(el: NftElement, addr: string): boolean {
  if (!ipaddr.isValid(addr)) return false;
  const a = ipaddr.parse(addr);
  try {
    if (el.kind === 'addr') return ipaddr.isValid(el.addr) && ipaddr.parse(el.addr).toString() === a.toString();
    if (el.kind === 'prefix') {
      const net = ipaddr.parse(el.addr);
      return net.kind() === a.kind() && a.match(net, el.len);
    }
    const from = ipaddr.parse(el.from);
    const to = ipaddr.parse(el.to);
    if (from.kind() !== a.kind() || to.kind() !== a.kind()) return false;
    return cmp(a.toByteArray(), from.toByteArray()) >= 0 && cmp(a.toByteArray(), to.toByteArray()) <= 0;
  } catch {
    return false;
  }
}

export interface NftSetRef {
  readonly family: string;
  readonly table: string;
  readonly set: string;
}

/** Sets in a `nft -j list ruleset|table|set` document whose elements cover `addr`. */
export function setsCovering(doc: unknown, addr: string): NftSetRef[] {
  const items = (doc as { nftables?: unknown[] } | null)?.nftables;
  if (!Array.isArray(items)) return [];
  const out: NftSetRef[] = [];
  for (const item of items) {
    const s = (item as { set?: { family?: string; table?: string; name?: string; elem?: unknown } }).set;
    if (!s || s.elem === undefined) continue;
    if (toElements(s.elem).some((e) => covers(e, addr))) {
      out.push({ family: s.family ?? '', table: s.table ?? '', set: s.name ?? '' });
    }
  }
  return out;
}
