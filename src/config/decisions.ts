import { z } from 'zod';
import { duration } from './fields.js';
import { withHint } from './hint-registry.js';

export type Ipv6Scope = 'ip' | `/${number}`;

const IPV6_SCOPE_HINT = 'use `ip` to ban single addresses or a prefix from /16 to /128 such as `/64` to ban the range';

/**
 * `ip` or `/N`. IPv6 hands each subscriber a /64 (or more), so banning one address lets an
 * attacker rotate to the next one for free; `/64` bans what one attacker controls.
 */
const ipv6Scope = withHint(
  z
    .string()
    .transform((value, ctx): Ipv6Scope => {
      if (value === 'ip') return 'ip';
      const m = /^\/(\d{1,3})$/.exec(value.trim());
      const bits = m ? Number(m[1]) : Number.NaN;
      if (bits >= 16 && bits <= 128) return `/${bits}`;
      ctx.addIssue({ code: 'custom', message: `invalid ipv6_scope ${JSON.stringify(value)}`, input: value });
      return z.NEVER;
    })
    .meta({ description: 'What an IPv6 ban covers', examples: ['ip', '/64'] }),
  IPV6_SCOPE_HINT,
);

export const decisionsSchema = z
  .strictObject({
    default_duration: duration('Ban duration (seconds after resolution) when a scenario names none', {
      min: 1,
    }).default(4 * 3600),
    escalation: z
      .strictObject({
        factor: z
          .number()
          .min(1)
          .max(100)
          .default(2)
          .meta({ description: 'Repeat offence n lasts duration * factor^(n-1)' }),
        max_duration: duration('Cap on escalated durations', { min: 1 }).default(30 * 86400),
        jitter: z
          .number()
          .min(0)
          .max(0.5)
          .default(0.1)
          .meta({ description: 'Random +-fraction on durations, so attackers cannot time the unban exactly' }),
      })
      .prefault({}),
    ipv6_scope: ipv6Scope.default('ip'),
    max_evidence: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(10)
      .meta({ description: 'Evidence lines kept per detection (first and last ones)' }),
  })
  .prefault({});
