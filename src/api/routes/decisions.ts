import { z } from 'zod';
import type { Decision, DecisionStatus } from '../../core/decision.js';
import { addDecision, liftDecisionById, liftDecisions } from '../operations.js';
import { notFound } from '../problem.js';
import { requirePrincipal } from '../route.js';
import * as S from '../schemas.js';
import { csvList, type RouteContext } from './context.js';

const matches = (d: Decision, q: string) => {
  const t = q.toLowerCase();
  return (
    d.value.toLowerCase().includes(t) ||
    d.reason.toLowerCase().includes(t) ||
    (d.scenario ?? '').toLowerCase().includes(t) ||
    d.id.includes(t)
  );
};

export function decisionRoutes({ add, deps, writes }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/decisions',
    operationId: 'listDecisions',
    summary: 'Decisions, newest first: in force now (default) or all, with search',
    tag: 'decisions',
    access: 'viewer',
    query: S.DecisionListQuery,
    response: z.array(S.Decision),
    async handler({ query }) {
      const status = csvList<DecisionStatus>(query.status);
      const list = await deps.store.listDecisions({
        ...(query.active === 'true' ? { activeAt: deps.clock.now() } : {}),
        ...(status ? { status } : {}),
        ...(query.value ? { value: query.value } : {}),
        limit: query.q ? 100_000 : query.limit,
      });
      return (query.q ? list.filter((d) => matches(d, query.q as string)) : list).slice(0, query.limit);
    },
  });

  add({
    method: 'GET',
    url: '/api/v1/decisions/{id}',
    operationId: 'getDecision',
    summary: 'One decision',
    tag: 'decisions',
    access: 'viewer',
    params: S.IdParams,
    response: S.Decision,
    async handler({ params }) {
      const d = await deps.store.getDecision(params.id);
      if (!d) throw notFound(`no decision ${params.id}`);
      return d;
    },
  });

  add({
    method: 'POST',
    url: '/api/v1/decisions',
    operationId: 'addDecision',
    summary:
      'Ban an address or range, or ask to isolate a host; the daemon carries it through the policy (allowlist, approvals)',
    tag: 'decisions',
    access: 'operator',
    write: true,
    body: S.DecisionAddBody,
    status: 201,
    response: S.Decision,
    handler({ body, principal }) {
      return addDecision(writes, body, requirePrincipal(principal).actor);
    },
  });

  add({
    method: 'DELETE',
    url: '/api/v1/decisions/{id}',
    operationId: 'deleteDecision',
    summary: 'Lift a decision: the daemon removes what it applied within a reconcile period',
    tag: 'decisions',
    access: 'operator',
    write: true,
    params: S.IdParams,
    response: S.Decision,
    handler({ params, principal }) {
      return liftDecisionById(writes, params.id, requirePrincipal(principal).actor, 'deleted');
    },
  });

  add({
    method: 'POST',
    url: '/api/v1/decisions/{id}/undo',
    operationId: 'undoDecision',
    summary: 'Undo a decision (a ban): rolled back and removed from the firewall',
    tag: 'decisions',
    access: 'operator',
    write: true,
    params: S.IdParams,
    response: S.Decision,
    handler({ params, principal }) {
      return liftDecisionById(writes, params.id, requirePrincipal(principal).actor, 'undone');
    },
  });

  add({
    method: 'DELETE',
    url: '/api/v1/decisions',
    operationId: 'deleteDecisionsFor',
    summary: 'Lift every live decision for an address or range',
    tag: 'decisions',
    access: 'operator',
    write: true,
    query: S.DecisionDeleteQuery,
    response: z.array(S.Decision),
    async handler({ query, principal }) {
      const live = await deps.store.listDecisions({ value: query.ip, activeAt: deps.clock.now(), limit: 1000 });
      if (live.length === 0) throw notFound(`no live decision for ${query.ip}`);
      return liftDecisions(writes, live, requirePrincipal(principal).actor, 'deleted');
    },
  });
}
