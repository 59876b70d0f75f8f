import { z } from 'zod';
import type { IncidentStatus } from '../../core/incident.js';
import { recordFeedback } from '../feedback.js';
import { notFound } from '../problem.js';
import { requirePrincipal } from '../route.js';
import * as S from '../schemas.js';
import { csvList, type RouteContext } from './context.js';

export function incidentRoutes({ add, deps, writes }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/incidents',
    operationId: 'listIncidents',
    summary: 'Incidents, newest first, filtered by status, entity, scenario or severity',
    tag: 'incidents',
    access: 'viewer',
    query: S.IncidentListQuery,
    response: z.array(S.Incident),
    async handler({ query }) {
      const status = csvList<IncidentStatus>(query.status);
      // Filtering by scenario/severity happens after the store query: read a wider page.
      const wide = query.scenario || query.severity ? Math.min(10_000, query.limit * 10) : query.limit;
      const list = await deps.store.listIncidents({
        ...(status ? { status } : {}),
        ...(query.entity ? { entityValue: query.entity } : {}),
        limit: wide,
      });
      return list
        .filter((i) => !query.scenario || i.scenarios.includes(query.scenario))
        .filter((i) => !query.severity || i.severity === query.severity)
        .slice(0, query.limit);
    },
  });

  add({
    method: 'GET',
    url: '/api/v1/incidents/{id}',
    operationId: 'getIncident',
    summary:
      'One incident with its detections (evidence lines, explanation, ATT&CK), decisions, feedback and audit trail',
    tag: 'incidents',
    access: 'viewer',
    params: S.IdParams,
    response: z.object({
      incident: S.Incident,
      detections: z.array(S.Detection),
      decisions: z.array(S.Decision),
      feedback: z.array(S.Feedback),
      audit: z.array(S.AuditRecord),
    }),
    async handler({ params }) {
      const incident = await deps.store.getIncident(params.id);
      if (!incident) throw notFound(`no incident ${params.id}`);
      const detections = await deps.store.getDetections(incident.detectionIds);
      const decisions = (await deps.store.listDecisions({ value: incident.entity.value, limit: 500 })).filter(
        (d) => d.incidentId === incident.id,
      );
      const subjects = [incident.id, ...decisions.map((d) => d.id)];
      const audit = (await Promise.all(subjects.map((subject) => deps.store.listAudit({ subject, limit: 500 }))))
        .flat()
        .sort((a, b) => a.seq - b.seq);
      return { incident, detections, decisions, feedback: await deps.repos.feedback.list(incident.id), audit };
    },
  });

  add({
    method: 'POST',
    url: '/api/v1/incidents/{id}/feedback',
    operationId: 'incidentFeedback',
    summary: 'Mark an incident a false positive (dismiss it, lift its decisions) or a true positive',
    tag: 'incidents',
    access: 'operator',
    write: true,
    params: S.IdParams,
    body: S.FeedbackBody,
    response: z.object({ feedback: S.Feedback, incident: S.Incident, lifted: z.number().int() }),
    handler({ params, body, principal }) {
      const who = requirePrincipal(principal);
      return recordFeedback(
        { ...writes, feedback: deps.repos.feedback, ...(deps.feedbackHooks ? { hooks: deps.feedbackHooks } : {}) },
        params.id,
        { verdict: body.verdict, note: body.note, liftDecisions: body.lift_decisions },
        who.actor,
        (message, err) => deps.log('warn', message, { error: String(err) }),
      );
    },
  });
}
