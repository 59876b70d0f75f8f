import { z } from 'zod';
import { cidr, duration } from '../config/fields.js';
import { withHint } from '../config/hint-registry.js';

/**
 * The `policy:` section, snake_case as written in YAML. A superset of the foundation's keys
 * (`mode`, `allowlist`, `budget.max_decisions`, `budget.window`), so existing files still load;
 * meant to replace src/config/policy.ts's schema. Every default is the safe one: observe mode,
 * loopback allowlisted, high-impact actions queued, a budget and a breaker in force.
 */

export const POLICY_MODES = ['observe', 'contain', 'heal'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

const LOOPBACK = ['127.0.0.0/8', '::1'] as const;

const mode = z.enum(POLICY_MODES).meta({
  description:
    'observe: log only; contain: reversible low-impact actions on their own; heal: also restores and restarts',
});

const actionName = withHint(
  z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  'write an action name such as isolate-host, lock-account or stop-service',
);

const userName = withHint(
  z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}\$?$/),
  'write a login name such as root or alice',
);

const scenarioPolicy = z
  .strictObject({
    dry_run: z.boolean().optional().meta({ description: 'Plan and log this scenario’s actions, apply none' }),
    mode: mode.optional(),
  })
  .meta({ description: 'Overrides for one scenario' });

const httpCheck = z.strictObject({
  type: z.literal('http'),
  name: z.string().min(1).max(100).optional(),
  url: withHint(z.url({ protocol: /^https?$/ }), 'write a full URL such as http://127.0.0.1/health'),
  expect: z.number().int().min(100).max(599).default(200).meta({ description: 'Expected HTTP status' }),
  interval: duration('How often to probe', { min: 1 }).default(30),
  timeout: duration('Probe timeout', { min: 0.05 }).default(5),
});

const tcpCheck = z.strictObject({
  type: z.literal('tcp'),
  name: z.string().min(1).max(100).optional(),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  interval: duration('How often to probe', { min: 1 }).default(30),
  timeout: duration('Probe timeout', { min: 0.05 }).default(5),
});

export const policyConfigSchema = z
  .strictObject({
    mode: mode.default('observe'),
    allowlist: z
      .array(cidr())
      .prefault([...LOOPBACK])
      .meta({ description: 'Addresses and ranges nothing may act against (management networks, the host itself)' }),
    dry_run: z.boolean().default(false).meta({ description: 'Plan and log every action, apply none' }),
    scenarios: z.record(z.string().min(1), scenarioPolicy).default({}),
    allow_high_impact: z.array(actionName).default([]).meta({
      description:
        'High-impact actions (isolate-host, lock-account, stop-service, wide ranges) allowed without approval',
    }),
    budget: z
      .strictObject({
        max_bans_per_minute: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .default(30)
          .meta({ description: 'Autonomous actions in any 60 s before the breaker trips' }),
        max_decisions: z
          .number()
          .int()
          .min(1)
          .max(1_000_000)
          .default(1000)
          .meta({ description: 'Autonomous actions per window before the breaker trips' }),
        window: duration('Window max_decisions is counted over', { min: 1 }).default(3600),
      })
      .prefault({}),
    breaker: z
      .strictObject({
        factor: z
          .number()
          .min(1)
          .max(1000)
          .default(10)
          .meta({ description: 'Trip when the ban rate exceeds this many times the learned normal rate' }),
        min_rate: z
          .number()
          .min(1)
          .default(20)
          .meta({ description: 'Bans per minute below which the learned-normal rule never trips' }),
        cooldown: duration('Calm time (no excess) after which an open breaker closes', { min: 1 }).default(600),
        half_life: duration('Half-life of the learned normal rate', { min: 60 }).default(3600),
      })
      .prefault({})
      .meta({
        description:
          'Circuit breaker: a burst beyond the budget or far above normal pauses autonomy and queues actions for a person',
      }),
    approvals: z
      .strictObject({
        expire_after: duration('Pending approvals older than this expire (treated as rejected)', { min: 1 }).default(
          3600,
        ),
      })
      .prefault({}),
    admin_users: z
      .array(userName)
      .optional()
      .meta({ description: 'Users whose ssh sessions protect their address (default: root and sudo/wheel/adm)' }),
    admin_grace: duration('How long an administrator’s address stays protected after the session ends', {
      min: 0,
    }).default(86_400),
    health_checks: z.array(z.discriminatedUnion('type', [httpCheck, tcpCheck])).default([]),
  })
  .prefault({});

/** The section as written (input side). */
export type PolicyConfigInput = z.input<typeof policyConfigSchema>;
/** The section after validation and defaults: durations in seconds, CIDRs normalized. */
export type ParsedPolicyConfig = z.output<typeof policyConfigSchema>;
export type ParsedHealthCheck = ParsedPolicyConfig['health_checks'][number];
