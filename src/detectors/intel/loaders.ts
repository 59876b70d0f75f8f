import { classifyIndicator, type Indicator, normalizeUrl } from './indicators.js';

/**
 * Feed formats. Each loader takes the feed's text and returns its indicators plus a count of
 * entries it could not read: a malformed line or object is counted and skipped, never fatal.
 */
export interface LoadResult {
  readonly indicators: Indicator[];
  readonly skipped: number;
}

export type FeedFormat = 'plain' | 'csv' | 'stix' | 'misp';

export interface CsvOptions {
  /** Column holding the indicator: a 0-based index or a header name. */
  readonly column: number | string;
  readonly delimiter: string;
  /** The first non-comment line names the columns. */
  readonly header: boolean;
}

/** One indicator per line; `#` and `;` start comments (Spamhaus DROP: `1.2.3.0/24 ; SBL123`). */
export function loadPlain(text: string): LoadResult {
  const indicators: Indicator[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    let end = raw.length;
    const hash = raw.indexOf('#');
    const semi = raw.indexOf(';');
    if (hash >= 0) end = hash;
    if (semi >= 0 && semi < end) end = semi;
    const line = (end < raw.length ? raw.slice(0, end) : raw).trim();
    if (line === '') continue;
    const ws = line.search(/\s/);
    const ind = classifyIndicator(ws < 0 ? line : line.slice(0, ws));
    if (ind) indicators.push(ind);
    else skipped++;
  }
  return { indicators, skipped };
}

function splitCsv(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function loadCsv(text: string, opts: CsvOptions): LoadResult {
  const indicators: Indicator[] = [];
  let skipped = 0;
  let column = typeof opts.column === 'number' ? opts.column : -1;
  let needHeader = opts.header || typeof opts.column === 'string';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells = splitCsv(line, opts.delimiter);
    if (needHeader) {
      needHeader = false;
      if (typeof opts.column === 'string')
        column = cells.findIndex((c) => c.trim().toLowerCase() === String(opts.column).toLowerCase());
      continue;
    }
    const cell = column >= 0 ? cells[column] : undefined;
    const ind = cell === undefined ? undefined : classifyIndicator(cell);
    if (ind) indicators.push(ind);
    else skipped++;
  }
  return { indicators, skipped };
}

const SIMPLE_PATTERN = /^\[\s*([a-z0-9-]+):(value|hashes\.'?([A-Za-z0-9-]+)'?)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]$/;

/** One STIX comparison → indicator, or undefined for object types we do not match on. */
function stixIndicator(objType: string, hashName: string | undefined, rawValue: string): Indicator | undefined {
  const value = rawValue.indexOf('\\') >= 0 ? rawValue.replace(/\\(.)/g, '$1') : rawValue;
  if (objType === 'ipv4-addr' || objType === 'ipv6-addr') {
    const ind = classifyIndicator(value);
    return ind?.type === 'ip' ? ind : undefined;
  }
  if (objType === 'domain-name') return { type: 'domain', value: value.toLowerCase() };
  if (objType === 'url') return { type: 'url', value: normalizeUrl(value) };
  if (objType === 'file' && hashName !== undefined) return { type: 'hash', value: value.toLowerCase() };
  return undefined;
}

/**
 * STIX 2.1 bundle: `indicator` objects whose pattern is one or more simple comparisons joined
 * by OR: `[ipv4-addr:value = '198.51.100.7']`, `ipv6-addr`, `domain-name`, `url`,
 * `file:hashes.'SHA-256'` (and MD5, SHA-1, SHA-512). Revoked indicators and those whose
 * `valid_until` has passed at `now` are dropped; others keep `valid_until` as their expiry.
 * Patterns with AND, qualifiers or other object types are counted as skipped.
 */
export function loadStix(text: string, now: number): LoadResult {
  const indicators: Indicator[] = [];
  let skipped = 0;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { indicators, skipped: 1 };
  }
  const objects = (doc as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) return { indicators, skipped: 1 };
  const cmp = /([a-z0-9-]+):(value|hashes\.'?([A-Za-z0-9-]+)'?)\s*=\s*'((?:[^'\\]|\\.)*)'/g;
  for (const o of objects as Record<string, unknown>[]) {
    if (o === null || typeof o !== 'object' || o.type !== 'indicator') continue;
    if (
      o.revoked === true ||
      typeof o.pattern !== 'string' ||
      (o.pattern_type !== undefined && o.pattern_type !== 'stix')
    ) {
      skipped++;
      continue;
    }
    const until = typeof o.valid_until === 'string' ? Date.parse(o.valid_until) : Number.NaN;
    if (Number.isFinite(until) && until <= now) continue;
    const body = o.pattern.trim();
    // Fast path for the one-comparison pattern most feeds publish.
    const one = SIMPLE_PATTERN.exec(body);
    if (one !== null) {
      const ind = stixIndicator(one[1]!, one[3], one[4]!);
      if (ind === undefined) skipped++;
      else indicators.push(Number.isFinite(until) ? { ...ind, validUntil: until } : ind);
      continue;
    }
    if (
      !/^\[[^\]]*\](?:\s+OR\s+\[[^\]]*\])*$/i.test(body) ||
      /\bAND\b|\bFOLLOWEDBY\b|\bMATCHES\b|\bLIKE\b/i.test(body)
    ) {
      skipped++;
      continue;
    }
    let found = 0;
    for (const m of body.matchAll(cmp)) {
      const [, objType, , hashName, rawValue] = m;
      const ind = stixIndicator(objType!, hashName, rawValue!);
      if (ind === undefined) continue;
      indicators.push(Number.isFinite(until) ? { ...ind, validUntil: until } : ind);
      found++;
    }
    if (found === 0) skipped++;
  }
  return { indicators, skipped };
}

const MISP_TYPES: Record<string, 'ip' | 'domain' | 'url' | 'hash'> = {
  'ip-src': 'ip',
  'ip-dst': 'ip',
  'ip-src|port': 'ip',
  'ip-dst|port': 'ip',
  domain: 'domain',
  hostname: 'domain',
  'domain|ip': 'domain',
  url: 'url',
  uri: 'url',
  md5: 'hash',
  sha1: 'hash',
  sha256: 'hash',
  sha512: 'hash',
  'filename|md5': 'hash',
  'filename|sha1': 'hash',
  'filename|sha256': 'hash',
};

/** One MISP attribute → indicator (`ip-dst|port` keeps the address, `filename|sha256` the hash). */
function mispAttribute(type: string, value: string): Indicator | undefined {
  const kind = MISP_TYPES[type];
  if (kind === undefined) return undefined;
  let v = value;
  if (type.includes('|')) {
    const parts = value.split('|');
    v = (type.startsWith('filename|') ? parts[1] : parts[0]) ?? '';
  }
  const ind = classifyIndicator(v);
  return ind?.type === kind ? ind : undefined;
}

/**
 * MISP feeds, in any of the three shapes a MISP server publishes: an event JSON
 * (`{"Event": {"Attribute": [...], "Object": [{"Attribute": [...]}]}}`), a list of such events
 * (the feed's event files concatenated by the fetcher), or the CSV export
 * (`uuid,event_id,category,type,value,...` with a header line). Only attributes flagged
 * `to_ids` count, as MISP intends for detection.
 */
export function loadMisp(text: string): LoadResult {
  const indicators: Indicator[] = [];
  let skipped = 0;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const header = splitCsv(lines[0] ?? '', ',').map((h) => h.trim().toLowerCase());
    const ti = header.indexOf('type');
    const vi = header.indexOf('value');
    const ii = header.indexOf('to_ids');
    if (ti < 0 || vi < 0) return { indicators, skipped: lines.length };
    for (const l of lines.slice(1)) {
      const c = splitCsv(l.replace(/\r$/, ''), ',');
      if (ii >= 0 && !/^(?:1|true)$/i.test(c[ii] ?? '')) continue;
      const ind = mispAttribute(c[ti] ?? '', c[vi] ?? '');
      if (ind) indicators.push(ind);
      else skipped++;
    }
    return { indicators, skipped };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { indicators, skipped: 1 };
  }
  const events = Array.isArray(doc) ? doc : [doc];
  for (const e of events as { Event?: { Attribute?: unknown[]; Object?: { Attribute?: unknown[] }[] } }[]) {
    const ev = e?.Event;
    if (!ev) {
      skipped++;
      continue;
    }
    const attrs = [...(ev.Attribute ?? []), ...(ev.Object ?? []).flatMap((o) => o.Attribute ?? [])];
    for (const a of attrs as { type?: unknown; value?: unknown; to_ids?: unknown }[]) {
      if (a?.to_ids === false || a?.to_ids === '0') continue;
      const ind =
        typeof a?.type === 'string' && typeof a.value === 'string' ? mispAttribute(a.type, a.value) : undefined;
      if (ind) indicators.push(ind);
      else skipped++;
    }
  }
  return { indicators, skipped };
}
