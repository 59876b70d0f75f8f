import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { parseDurationS } from '../core/duration.js';
import { withHint } from './hint-registry.js';

export const DURATION_HINT =
  'write a number of seconds or a duration like `10s`, `90m`, `4h`, `2d` (units ms, s, m, h, d, w; combine as `1h30m`)';

/**
 * A duration in the config: `4h`, `1m30s` or a number of seconds. Resolves to seconds.
 * `min` rejects zero-length bans and similar values that would silently disable a feature.
 */
export function duration(description: string, opts: { min?: number } = {}) {
  const min = opts.min ?? 0;
  const schema = z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const seconds = parseDurationS(value);
      if (seconds === undefined) {
        ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(value)}`, input: value });
        return z.NEVER;
      }
      if (seconds < min) {
        ctx.addIssue({
          code: 'custom',
          message: `duration ${JSON.stringify(value)} is below the minimum of ${min}s`,
          input: value,
        });
        return z.NEVER;
      }
      return seconds;
    })
    .meta({ description, examples: ['10s', '4h', '2d'] });
  return withHint(schema, DURATION_HINT);
}

export const ADDRESS_HINT =
  'write an address like 203.0.113.7 or 2001:db8::1, or a CIDR range like 10.0.0.0/8 or 2001:db8::/32';

/** Why a text is not an address or CIDR, with a specific fix where one is known. */
export function explainBadCidr(text: string): string {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(addr);
  const v6 = !v4 && ipaddr.IPv6.isValid(addr);
  if ((v4 || v6) && prefix !== undefined) {
    const max = v4 ? 32 : 128;
    return `the prefix length after "/" must be a whole number from 0 to ${max} for ${v4 ? 'IPv4' : 'IPv6'}`;
  }
  if (/^\d+(\.\d+){3}$/.test(addr)) return 'each part of an IPv4 address must be a number from 0 to 255';
  if (/^\d+(\.\d+){0,2}$/.test(addr))
    return 'write all four parts of an IPv4 address, e.g. 10.0.0.0/8 rather than 10/8';
  if (/^[a-z][a-z0-9.-]*$/i.test(addr) && !addr.includes(':')) {
    return `host names are not accepted (they can be re-pointed by whoever controls DNS); ${ADDRESS_HINT}`;
  }
  return ADDRESS_HINT;
}

/**
 * Parse an address or CIDR range to its canonical network form (`10.0.0.0/8`, `::1/128`).
 * IPv4 must be four-part decimal: ipaddr.js would read `10.1` as 10.0.0.1, a surprise in an
 * allowlist. Returns undefined when the text is neither.
 */
export function normalizeCidr(text: string): string | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const prefixText = slash < 0 ? undefined : s.slice(slash + 1);
  let kind: 'ipv4' | 'ipv6';
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) kind = 'ipv4';
  else if (ipaddr.IPv6.isValid(addr) && !addr.includes('%')) kind = 'ipv6';
  else return undefined;
  const max = kind === 'ipv4' ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  const cidr = `${addr}/${prefix}`;
  const network = kind === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${network.toString()}/${prefix}`;
}

/** An allowlist entry: address or CIDR, resolved to the canonical network CIDR. */
export function cidr() {
  const schema = z
    .string()
    .transform((value, ctx) => {
      const normalized = normalizeCidr(value);
      if (normalized === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `invalid address or CIDR range ${JSON.stringify(value)}`,
          input: value,
          params: { hint: explainBadCidr(value.trim()) },
        });
        return z.NEVER;
      }
      return normalized;
    })
    .meta({ description: 'An IPv4/IPv6 address or CIDR range', examples: ['127.0.0.0/8', '::1', '10.0.0.0/8'] });
  return withHint(schema, ADDRESS_HINT);
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export const LISTEN_HINT = 'write HOST:PORT with an IP address, e.g. "127.0.0.1:5514" or "[::1]:5514"';

/** Parse `127.0.0.1:5514` or `[::1]:5514`; undefined if malformed. */
export function parseListen(text: string): ListenAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const ok = m[1] !== undefined ? ipaddr.IPv6.isValid(host) : ipaddr.IPv4.isValidFourPartDecimal(host);
  return ok ? { host, port } : undefined;
}

/** A syslog listen address, resolved to `{ host, port }`. */
export function listenAddress(description: string) {
  const schema = z
    .string()
    .transform((value, ctx): ListenAddress => {
      const parsed = parseListen(value);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: `invalid listen address ${JSON.stringify(value)}`, input: value });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description, examples: ['127.0.0.1:5514', '[::1]:5514'] });
  return withHint(schema, LISTEN_HINT);
}

/** A non-empty string (config values that name things: paths, ids, units). */
export function nonEmpty(description: string, example: string) {
  return z
    .string()
    .trim()
    .min(1)
    .meta({ description, examples: [example] });
}
