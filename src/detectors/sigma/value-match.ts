import ipaddr from 'ipaddr.js';
import type { EventView } from './event-view.js';
import { translateRegex } from './regex.js';
import { compileString } from './string-match.js';
import { ModifierError, type TimeUnit, type Val } from './values.js';

/** Decides one rule value against one present, non-null, non-array field value. */
export type ScalarTest = (v: unknown, view: EventView) => boolean;

/** Resolves a field name to its candidate event keys (raw name first, then the mapping). */
export type FieldKeys = (field: string) => readonly string[];

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

function timePart(v: unknown, unit: TimeUnit): number | undefined {
  let d: Date;
  if (typeof v === 'number') d = new Date(v < 1e11 ? v * 1000 : v);
  else if (typeof v === 'string') d = new Date(v);
  else return undefined;
  if (Number.isNaN(d.getTime())) return undefined;
  switch (unit) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}

function parseAddr(s: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(s)) return undefined;
  const a = ipaddr.parse(s);
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

function compileCidr(cidr: string): ScalarTest {
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    range = cidr.includes('/')
      ? ipaddr.parseCIDR(cidr)
      : (() => {
          const a = ipaddr.parse(cidr);
          return [a, a.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
        })();
  } catch {
    throw new ModifierError(`cidr: ${JSON.stringify(cidr)} is not an IPv4 or IPv6 network`);
  }
  const kind = range[0].kind();
  return (v) => {
    const text = scalarText(v);
    if (text === undefined) return false;
    const a = parseAddr(text.trim());
    if (!a || a.kind() !== kind) return false;
    return a.match(range);
  };
}

/**
 * Compile one modified rule value. `fieldKeys` resolves field references (`|fieldref`).
 * @throws ModifierError when the value cannot be compiled (bad regex, bad network).
 */
export function compileValue(val: Val, fieldKeys: FieldKeys): ScalarTest {
  switch (val.k) {
    case 'str': {
      const test = compileString(val.s, val.cased);
      if (val.cased)
        return (v) => {
          const t = scalarText(v);
          return t !== undefined && test(t);
        };
      return (v, view) => {
        const t = scalarText(v);
        return t !== undefined && test(view.lower(t));
      };
    }
    case 'num': {
      const n = val.n;
      const text = String(n);
      return (v) => {
        if (typeof v === 'number') return v === n;
        if (typeof v === 'string') return v === text || toNumber(v) === n;
        return scalarText(v) === text;
      };
    }
    case 'bool': {
      const text = String(val.b);
      return (v) => v === val.b || (typeof v === 'string' && v.toLowerCase() === text);
    }
    case 'null':
      return () => false;
    case 're': {
      const tr = translateRegex(val.src, val.flags);
      if (!tr.ok) throw new ModifierError(`re: ${tr.reason}`);
      const src = `${val.anchorStart ? '^' : ''}(?:${tr.value.source})${val.anchorEnd ? '$' : ''}`;
      const re = new RegExp(src, tr.value.flags);
      return (v) => {
        const t = scalarText(v);
        return t !== undefined && re.test(t);
      };
    }
    case 'cidr':
      return compileCidr(val.cidr);
    case 'cmp': {
      const { op, n } = val;
      return (v) => {
        const x = toNumber(v);
        if (x === undefined) return false;
        return op === 'gt' ? x > n : op === 'gte' ? x >= n : op === 'lt' ? x < n : x <= n;
      };
    }
    case 'exists':
      // Decided at the item level from the field's presence, never per value.
      return () => val.b;
    case 'fieldref': {
      const keys = fieldKeys(val.field);
      const { start, end } = val;
      return (v, view) => {
        const other = scalarText(view.get(keys));
        const mine = scalarText(v);
        if (other === undefined || mine === undefined) return false;
        const a = view.lower(mine);
        const b = view.lower(other);
        if (start && end) return a.includes(b);
        if (start) return a.startsWith(b);
        if (end) return a.endsWith(b);
        return a === b;
      };
    }
    case 'time': {
      const { unit, n } = val;
      return (v) => timePart(v, unit) === n;
    }
    case 'exp': {
      const tests = val.alts.map((a) => compileValue(a, fieldKeys));
      return (v, view) => {
        for (const t of tests) if (t(v, view)) return true;
        return false;
      };
    }
  }
}
