import { z } from 'zod';
import { cidr, duration } from './fields.js';

export const POLICY_MODES = ['observe', 'contain', 'heal'] as const;

/** Loopback is allowlisted by default: blocking the host talking to itself breaks it. */
export const LOOPBACK_ALLOWLIST = ['127.0.0.0/8', '::1'] as const;

export const policySchema = z
  .strictObject({
    mode: z.enum(POLICY_MODES).default('observe').meta({
      description:
        'observe: log only; contain: reversible low-impact actions on their own; heal: also restores and restarts',
    }),
    allowlist: z
      .array(cidr())
      // prefault, not default: the default must go through the same normalization as user input.
      .prefault([...LOOPBACK_ALLOWLIST])
      .meta({ description: 'Addresses and ranges nothing may act against (management networks, the host itself)' }),
    budget: z
      .strictObject({
        max_decisions: z
          .number()
          .int()
          .min(1)
          .default(100)
          .meta({ description: 'Decisions allowed per window before autonomy pauses and asks a person' }),
        window: duration('Window the budget is counted over', { min: 1 }).default(3600),
      })
      .prefault({})
      .meta({
        description:
          'Circuit breaker: a burst of decisions beyond this pauses autonomy, so an attacker cannot turn Leuko against its own users',
      }),
  })
  .prefault({});
