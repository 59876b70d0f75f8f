import { z } from 'zod';
import type { ApprovalStatus } from '../../policy/approval.js';
import { answerApproval } from '../operations.js';
import { notFound } from '../problem.js';
import { requirePrincipal } from '../route.js';
import * as S from '../schemas.js';
import { csvList, type RouteContext } from './context.js';

export function approvalRoutes({ add, deps, writes }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/approvals',
    operationId: 'listApprovals',
    summary: 'The approval queue (pending by default)',
    tag: 'approvals',
    access: 'viewer',
    query: S.ApprovalListQuery,
    response: z.array(S.Approval),
    handler({ query }) {
      const status = csvList<ApprovalStatus>(query.status) ?? ['pending'];
      return deps.repos.approvals.list(status, query.limit, deps.clock.now());
    },
  });

  add({
    method: 'GET',
    url: '/api/v1/approvals/{id}',
    operationId: 'getApproval',
    summary: 'One approval',
    tag: 'approvals',
    access: 'viewer',
    params: S.IdParams,
    response: S.Approval,
    async handler({ params }) {
      const a = await deps.repos.approvals.get(params.id);
      if (!a) throw notFound(`no approval ${params.id}`);
      return a;
    },
  });

  add({
    method: 'POST',
    url: '/api/v1/approvals/{id}/approve',
    operationId: 'approve',
    summary: 'Approve a pending decision; the daemon carries it out on its next pass',
    tag: 'approvals',
    access: 'operator',
    write: true,
    params: S.IdParams,
    response: S.Approval,
    handler({ params, principal }) {
      return answerApproval(writes, params.id, 'approve', requirePrincipal(principal).actor);
    },
  });

  add({
    method: 'POST',
    url: '/api/v1/approvals/{id}/reject',
    operationId: 'reject',
    summary: 'Reject a pending decision',
    tag: 'approvals',
    access: 'operator',
    write: true,
    params: S.IdParams,
    body: S.RejectBody,
    response: S.Approval,
    handler({ params, body, principal }) {
      return answerApproval(writes, params.id, 'reject', requirePrincipal(principal).actor, body.reason);
    },
  });
}
