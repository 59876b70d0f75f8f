/** The regulatory layer: allowlists, modes, blast radius, budgets, breaker, approvals, health. */
export { type ActionClass, actionClass, blastRadiusOf, rangeRadius } from './actions.js';
export type { AddressGuard, AdminSession, GuardMatch, ProtectedBy } from './address-guard.js';
export { createAddressGuard } from './address-guard.js';
export {
  type AdminSessionsOptions,
  type AdminSessionsProvider,
  createAdminSessionsProvider,
  execRunCommand,
  type ProcReader,
  type RunCommand,
} from './admin-sessions.js';
export { ALWAYS_ALLOWED, type Allowlist, createAllowlist, parseCidr } from './allowlist.js';
export type { Approval, ApprovalQuery, ApprovalStatus, ApprovalsRepo } from './approval.js';
export { APPROVAL_STATUSES } from './approval.js';
export { type ApprovalAnswer, type ApprovalQueue, createApprovalQueue } from './approvals.js';
export type { BreakerEvent, BreakerReset, BreakerStatus, BreakerTrigger, BreakerTrip } from './breaker.js';
export {
  type ParsedPolicyConfig,
  POLICY_MODES,
  type PolicyConfigInput,
  type PolicyMode,
  policyConfigSchema,
} from './config-schema.js';
export {
  createPolicyEngine,
  type PolicyEngine,
  type PolicyEngineDeps,
  type PolicyState,
  type PolicyStatus,
} from './engine.js';
export { type CheckedAction, checkAfterAction, type HealthVerdict } from './health.js';
export { type HealthSnapshot, type ProbeResult, probe, probeHttp, probeTcp, runHealthChecks } from './health-probes.js';
export { createHostAddresses } from './host-addresses.js';
export { DEFAULT_POLICY_SETTINGS, type HealthCheck, type PolicySettings, policySettings } from './settings.js';
export type { EvaluateContext, PolicyRule, PolicyVerdict, PolicyVerdictKind } from './verdict.js';
