import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { parseDurationS } from '../core/duration.js';
import type { IdGenerator } from '../core/ids.js';
import type { ApiRepos, Store } from '../core/store.js';
import { proposeManualDecision } from '../decisions/manual-decision.js';
import { transition } from '../enforcement/transitions.js';
import type { Allowlist } from '../policy/allowlist.js';
import { parseCidr } from '../policy/allowlist.js';
import { ApiProblem, conflict, notFound } from './problem.js';

/**
 * The API's writes, done the way the CLI does them (src/cli/commands/decisions.ts and
 * approvals.ts): a decision is stored `proposed` and the running enforcer carries it through
 * the policy (allowlist, budget, breaker, approvals) like any other; an approval is answered
 * in the shared queue table and the enforcer acts on its next pass. Nothing here touches a
 * firewall directly, so the API can never bypass the policy.
 */
export interface WriteDeps {
  readonly store: Store;
  readonly approvals: ApiRepos['approvals'];
  readonly allowlist: Allowlist;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface AddRequest {
  readonly action: 'ban' | 'isolate-host';
  readonly ip?: string | undefined;
  readonly range?: string | undefined;
  readonly host?: string | undefined;
  readonly duration: string;
  readonly reason: string;
}

function target(r: AddRequest): { scope: 'ip' | 'range' | 'host'; value: string } {
  const bad = (detail: string) => new ApiProblem(400, 'Invalid request', detail);
  if (r.action === 'isolate-host') {
    if (r.ip !== undefined || r.range !== undefined) throw bad('isolate-host takes host, not ip or range');
    if (!r.host || !/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/.test(r.host))
      throw bad('give host (this host’s name, or self) with isolate-host');
    return { scope: 'host', value: r.host };
  }
  if (r.host !== undefined) throw bad('host goes with isolate-host; a ban takes ip or range');
  const value = r.ip ?? r.range;
  if (!value || (r.ip !== undefined && r.range !== undefined)) throw bad('give exactly one of ip or range');
  if (!parseCidr(value) || (r.ip !== undefined && value.includes('/')))
    throw bad(`not an ${r.ip !== undefined ? 'address' : 'address range'}: ${value}`);
  return { scope: r.ip !== undefined ? 'ip' : 'range', value };
}

/** Propose a decision by hand (origin `api`); the allowlist refuses it up front, as in the CLI. */
export async function addDecision(deps: WriteDeps, r: AddRequest, actor: string): Promise<Decision> {
  const t = target(r);
  const durationS = parseDurationS(r.duration);
  if (durationS === undefined || durationS <= 0)
    throw new ApiProblem(400, 'Invalid request', `not a duration: ${r.duration} (try 30m, 4h, 2d)`);
  if (t.scope !== 'host') {
    const entry = deps.allowlist.match(t.value);
    if (entry !== undefined)
      throw new ApiProblem(422, 'Allowlisted', `${t.value} is allowlisted (${entry}); nothing overrides the allowlist`);
  }
  return proposeManualDecision(deps, {
    scope: t.scope,
    value: t.value,
    action: r.action,
    durationS,
    reason: r.reason,
    origin: 'api',
    actor,
  });
}

/**
 * Lift decisions (undo a ban): a proposed one is rejected, one in force is rolled back; the
 * enforcer removes what it had applied on its next pass. Already-over decisions are skipped.
 */
export async function liftDecisions(
  deps: WriteDeps,
  targets: readonly Decision[],
  actor: string,
  verb: 'deleted' | 'undone' | 'lifted (false positive)',
): Promise<Decision[]> {
  const now = deps.clock.now();
  const audit: AuditInput[] = [];
  const changed: Decision[] = [];
  for (const d of targets) {
    const to = d.status === 'proposed' ? 'rejected' : 'rolled_back';
    const next = transition(d, to, { actor, reason: `${verb} by ${actor}`, at: now }, audit);
    if (next) changed.push(next);
  }
  if (changed.length > 0) await deps.store.commit({ decisions: changed, audit });
  return changed;
}

export async function liftDecisionById(deps: WriteDeps, id: string, actor: string, verb: 'deleted' | 'undone') {
  const d = await deps.store.getDecision(id);
  if (!d) throw notFound(`no decision ${id}`);
  const changed = await liftDecisions(deps, [d], actor, verb);
  const first = changed[0];
  if (!first) throw conflict(`decision ${id} is already ${d.status}`);
  return first;
}

/** Approve or reject in the shared queue, audited with the caller as the reviewer. */
export async function answerApproval(
  deps: WriteDeps,
  id: string,
  answer: 'approve' | 'reject',
  actor: string,
  reason?: string,
) {
  const now = deps.clock.now();
  const to = answer === 'approve' ? 'approved' : 'rejected';
  const changed = await deps.approvals.decide(id, to, actor, now, reason);
  if (!changed) {
    const current = await deps.approvals.get(id);
    if (!current) throw notFound(`no approval ${id}`);
    // Still pending but past its expiry (the enforcer marks it on its next pass): a no either way.
    if (current.status === 'pending') throw conflict(`${id} expired unanswered and counts as rejected`);
    throw conflict(`${id} was already ${current.status}`);
  }
  await deps.store.commit({
    audit: [
      {
        kind: 'operator',
        action: `approval.${to}`,
        subject: changed.decisionId,
        actor,
        at: now,
        data: { approval: changed.id, ...(reason === undefined ? {} : { reason }) },
      },
    ],
  });
  return changed;
}
