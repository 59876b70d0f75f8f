import { z } from 'zod';
import type { Detection } from '../../core/detection.js';
import * as S from '../schemas.js';
import type { RouteContext } from './context.js';

const EventHit = z.object({
  detectionId: z.string(),
  scenario: z.string(),
  entity: S.Entity,
  time: z.number(),
  timestamp: z.string(),
  sourceId: z.string(),
  message: z.string(),
});

export function auditRoutes({ add, deps }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/audit',
    operationId: 'listAudit',
    summary: 'The hash-chained audit log, oldest first, by kind, subject or after a sequence number',
    tag: 'audit',
    access: 'viewer',
    query: S.AuditQuery,
    response: z.array(S.AuditRecord),
    async handler({ query }) {
      let after = query.after;
      // Without `after`, the newest page: find where it starts from the head.
      if (after === undefined && !query.subject && !query.kind) {
        const head = await deps.repos.auditHeadSeq();
        after = Math.max(0, head - query.limit);
      }
      return deps.store.listAudit({
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.subject ? { subject: query.subject } : {}),
        ...(after === undefined ? {} : { afterSeq: after }),
        limit: query.limit,
      });
    },
  });

  add({
    method: 'GET',
    url: '/api/v1/audit/verify',
    operationId: 'verifyAudit',
    summary: 'Verify the whole hash chain (a broken record is named with the reason)',
    tag: 'audit',
    access: 'viewer',
    response: z.union([
      z.object({ ok: z.literal(true), records: z.number(), head: z.string() }),
      z.object({ ok: z.literal(false), records: z.number(), brokenAt: z.number(), reason: z.string() }),
    ]),
    handler() {
      return deps.store.verifyAudit();
    },
  });

  add({
    method: 'GET',
    url: '/api/v1/events',
    operationId: 'searchEvents',
    summary: 'Search the evidence lines kept with detections (text, scenario, entity, since)',
    tag: 'events',
    access: 'viewer',
    query: S.EventSearchQuery,
    response: z.array(EventHit),
    async handler({ query }) {
      const rows = await deps.repos.searchDetections({
        ...(query.q ? { q: query.q } : {}),
        ...(query.scenario ? { scenario: query.scenario } : {}),
        ...(query.entity ? { entity: query.entity } : {}),
        ...(query.since === undefined ? {} : { since: query.since }),
        limit: query.limit,
      });
      const needle = query.q?.toLowerCase();
      const hits: z.infer<typeof EventHit>[] = [];
      for (const json of rows) {
        let d: Detection;
        try {
          d = JSON.parse(json) as Detection;
        } catch {
          continue;
        }
        for (const e of d.evidence) {
          if (
            needle &&
            !e.message.toLowerCase().includes(needle) &&
            !d.scenario.toLowerCase().includes(needle) &&
            !d.entity.value.includes(needle)
          )
            continue;
          hits.push({
            detectionId: d.id,
            scenario: d.scenario,
            entity: d.entity,
            time: d.time,
            timestamp: e.timestamp,
            sourceId: e.sourceId,
            message: e.message,
          });
          if (hits.length >= query.limit) return hits;
        }
      }
      return hits;
    },
  });
}
