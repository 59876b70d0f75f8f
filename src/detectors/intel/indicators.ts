import { IpTrie, parsePrefix } from './ip-trie.js';

export type IndicatorType = 'ip' | 'domain' | 'url' | 'hash';

/** One indicator from a feed. `validUntil` (ms) comes from STIX `valid_until` when present. */
export interface Indicator {
  readonly type: IndicatorType;
  readonly value: string;
  readonly validUntil?: number;
}

export interface IndicatorMatch {
  readonly feed: string;
  readonly type: IndicatorType;
  /** The feed's entry that matched (a CIDR for an address inside it, a parent domain...). */
  readonly indicator: string;
  readonly validUntil?: number;
}

const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

/** Guess an indicator's type from its text (plain lists mix addresses, ranges, domains, URLs, hashes). */
export function classifyIndicator(raw: string): Indicator | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  if (parsePrefix(v) !== undefined) return { type: 'ip', value: v };
  const lower = v.toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(lower)) return { type: 'url', value: normalizeUrl(v) };
  if (HASH.test(lower)) return { type: 'hash', value: lower };
  const d = lower.startsWith('*.') ? lower.slice(2) : lower.replace(/\.$/, '');
  if (DOMAIN.test(d)) return { type: 'domain', value: d };
  return undefined;
}

/** Scheme and host lower-cased, no fragment, no trailing slash: how URLs are compared. */
export function normalizeUrl(u: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^#]*)/i.exec(u.trim());
  if (m === null) return u.trim();
  const rest = m[3]!.replace(/\/$/, '');
  return `${m[1]!.toLowerCase()}${m[2]!.toLowerCase()}${rest}`;
}

interface Entry {
  readonly feed: string;
  readonly indicator: string;
  readonly validUntil?: number;
}

/**
 * Every loaded indicator, indexed for matching: an IPv4 and an IPv6 prefix trie, a domain map
 * matched on the name and each parent (`a.evil.example` hits an `evil.example` entry), and
 * exact URL and hash sets. A later feed's entry for the same key replaces an earlier one.
 */
export class IndicatorSet {
  private readonly v4 = new IpTrie();
  private readonly v6 = new IpTrie();
  /**
   * Single addresses (most of a blocklist) go in a hash map keyed by their canonical text, the
   * trie only holds ranges: a full-length prefix is always the longest match, and a 100k-address
   * list would otherwise cost ~20 trie nodes per entry.
   */
  private readonly hosts4 = new Map<number, number>();
  private readonly hosts6 = new Map<string, number>();
  private readonly entries: Entry[] = [];
  private readonly domains = new Map<string, number>();
  private readonly urls = new Map<string, number>();
  private readonly hashes = new Map<string, number>();

  /** Whether any indicator is loaded (read on every event, so a field, not a sum). */
  empty = true;

  /** Which kinds are loaded: the detector skips the fields of kinds no feed has. */
  get kinds(): { readonly ip: boolean; readonly domain: boolean; readonly url: boolean; readonly hash: boolean } {
    return {
      ip: this.hosts4.size + this.hosts6.size + this.v4.size + this.v6.size > 0,
      domain: this.domains.size > 0,
      url: this.urls.size > 0,
      hash: this.hashes.size > 0,
    };
  }

  get size(): number {
    return (
      this.hosts4.size +
      this.hosts6.size +
      this.v4.size +
      this.v6.size +
      this.domains.size +
      this.urls.size +
      this.hashes.size
    );
  }

  add(feed: string, ind: Indicator): boolean {
    const index = this.entries.length;
    const entry: Entry =
      ind.validUntil === undefined
        ? { feed, indicator: ind.value }
        : { feed, indicator: ind.value, validUntil: ind.validUntil };
    switch (ind.type) {
      case 'ip': {
        const p = parsePrefix(ind.value);
        if (p === undefined) return false;
        if (p.family === 4 && p.bits === 32) this.hosts4.set(p.words[0]! * 65536 + p.words[1]!, index);
        else if (p.family === 6 && p.bits === 128) this.hosts6.set(p.words.join(':'), index);
        else (p.family === 4 ? this.v4 : this.v6).insert(p.words, p.bits, index);
        break;
      }
      case 'domain':
        this.domains.set(ind.value.toLowerCase(), index);
        break;
      case 'url':
        this.urls.set(normalizeUrl(ind.value), index);
        break;
      case 'hash':
        this.hashes.set(ind.value.toLowerCase(), index);
        break;
    }
    this.entries.push(entry);
    this.empty = false;
    return true;
  }

  private hit(type: IndicatorType, index: number | undefined): IndicatorMatch | undefined {
    if (index === undefined || index < 0) return undefined;
    const e = this.entries[index]!;
    return e.validUntil === undefined
      ? { feed: e.feed, type, indicator: e.indicator }
      : { feed: e.feed, type, indicator: e.indicator, validUntil: e.validUntil };
  }

  matchIp(ip: string): IndicatorMatch | undefined {
    const p = parsePrefix(ip);
    if (p === undefined || p.bits !== (p.family === 4 ? 32 : 128)) return undefined;
    const exact =
      p.family === 4
        ? this.hosts4.get(p.words[0]! * 65536 + p.words[1]!)
        : this.hosts6.size > 0
          ? this.hosts6.get(p.words.join(':'))
          : undefined;
    if (exact !== undefined) return this.hit('ip', exact);
    return this.hit('ip', (p.family === 4 ? this.v4 : this.v6).match(p.words, p.bits));
  }

  matchDomain(name: string): IndicatorMatch | undefined {
    if (this.domains.size === 0) return undefined;
    let d = name.toLowerCase().replace(/\.$/, '');
    for (;;) {
      const i = this.domains.get(d);
      if (i !== undefined) return this.hit('domain', i);
      const dot = d.indexOf('.');
      if (dot < 0) return undefined;
      d = d.slice(dot + 1);
    }
  }

  matchUrl(url: string): IndicatorMatch | undefined {
    if (this.urls.size === 0) return undefined;
    return this.hit('url', this.urls.get(normalizeUrl(url)));
  }

  matchHash(hash: string): IndicatorMatch | undefined {
    if (this.hashes.size === 0) return undefined;
    return this.hit('hash', this.hashes.get(hash.toLowerCase()));
  }
}
