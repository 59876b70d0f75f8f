/**
 * The `policy:` section. Its schema lives with the policy engine (src/policy/config-schema.ts),
 * which owns what the keys mean; the config loader only mounts it.
 */
export { POLICY_MODES, policyConfigSchema as policySchema } from '../policy/config-schema.js';

/** Loopback is allowlisted by default: blocking the host talking to itself breaks it. */
export const LOOPBACK_ALLOWLIST = ['127.0.0.0/8', '::1'] as const;
