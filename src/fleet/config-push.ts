import type { KeyObject } from 'node:crypto';
import type { KvWatchEntry } from '@nats-io/kv';
import type { LeukoConfig } from '../config/index.js';
import { mutableCopy } from '../core/mutable.js';
import { type ParsedPolicyConfig, policyConfigSchema } from '../policy/config-schema.js';
import { policySettings } from '../policy/settings.js';
import type { PolicySettings } from '../policy/settings.js';
import { parseEnvelope } from './envelope.js';
import { checkHiveSigned } from './trust.js';

/** Signed config pushes in the rules bucket: `config` for the fleet, `config.<agent>` for a canary. */
export const FLEET_CONFIG_KEY = 'config';
export const CONFIG_VERSION_KEY = 'fleet-config-version';
/** The fragment in force, so a restarted agent comes back under the policy it was pushed. */
export const CONFIG_FRAGMENT_KEY = 'fleet-config-fragment';

/**
 * What the hive may change on its agents: the policy's mode, allowlist (additions only, merged
 * with the agent's own), budget and dry run. Never health checks (they run probes), approvals or
 * scenarios: a stolen hive key must not turn into a way to run things on every host, nor to
 * take an address off an agent's own allowlist.
 */
export const PUSHABLE_POLICY_KEYS = ['mode', 'allowlist', 'budget', 'dry_run'] as const;

/** A config push: `version` orders pushes (newer wins), `fragment` is `{ policy: {...} }`. */
export interface ConfigPush {
  readonly version: number;
  readonly fragment: { readonly policy: Readonly<Record<string, unknown>> };
}

export type ConfigCheck =
  | { readonly ok: true; readonly policy: ParsedPolicyConfig; readonly settings: PolicySettings }
  | { readonly ok: false; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The agent's policy with a pushed fragment merged in, validated by the same schema a config
 * file's `policy:` section goes through. Refused, with the key and the fix, when it holds
 * anything else than a pushable `policy` key or when the merged policy is invalid.
 */
export function checkConfigPush(base: LeukoConfig['policy'], fragment: unknown): ConfigCheck {
  if (!isObject(fragment) || !isObject(fragment.policy))
    return { ok: false, reason: 'the pushed config must be a mapping with a `policy:` section' };
  const extra = Object.keys(fragment).filter((k) => k !== 'policy');
  if (extra.length > 0)
    return { ok: false, reason: `${extra.join(', ')}: only the \`policy:\` section can be pushed to agents` };
  const pushed = fragment.policy;
  const refused = Object.keys(pushed).filter((k) => !(PUSHABLE_POLICY_KEYS as readonly string[]).includes(k));
  if (refused.length > 0)
    return {
      ok: false,
      reason: `policy.${refused.join(', policy.')} cannot be pushed (pushable: ${PUSHABLE_POLICY_KEYS.join(', ')}); set it in the agent's own config`,
    };
  if (pushed.allowlist !== undefined && !Array.isArray(pushed.allowlist))
    return { ok: false, reason: 'policy.allowlist: expected a list of addresses or ranges to add' };
  if (pushed.budget !== undefined && !isObject(pushed.budget))
    return { ok: false, reason: 'policy.budget: expected a mapping (max_bans_per_minute, max_decisions, window)' };
  const own = mutableCopy(base) as unknown as Record<string, unknown> & { allowlist: string[]; budget: object };
  const merged = {
    ...own,
    ...pushed,
    // Additions only: the agent's own allowlist always stays in force.
    allowlist: [...new Set([...own.allowlist, ...((pushed.allowlist as unknown[] | undefined) ?? []).map(String)])],
    budget: { ...own.budget, ...((pushed.budget as object | undefined) ?? {}) },
  };
  const parsed = policyConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `policy.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return { ok: true, policy: parsed.data, settings: policySettings(mutableCopy(parsed.data)) };
}

/**
 * The push in a bucket entry if it is one, with whether the hive signed it: an unsigned or
 * forged push is reported (and audited by the agent), never applied.
 */
export function readConfigPush(
  e: KvWatchEntry,
  hiveKey: KeyObject | undefined,
): { push: ConfigPush; signed: boolean } | { malformed: string } | undefined {
  if (e.operation !== 'PUT') return undefined;
  const p = parseEnvelope(e.value);
  if (!p.ok) return { malformed: `unreadable config push: ${p.reason}` };
  if (p.envelope.kind !== 'config') return { malformed: `a ${p.envelope.kind} message under a config key` };
  const b = p.envelope.body as Partial<ConfigPush> | null;
  if (typeof b?.version !== 'number' || !isObject(b.fragment)) return { malformed: 'config push without a version' };
  return { push: b as ConfigPush, signed: checkHiveSigned(hiveKey, p.envelope) };
}
