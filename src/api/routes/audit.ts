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

/** `LIKE` pattern for a literal substring of the stored JSON text. */
function likeOf(text: string): string {
  const inJson = JSON.stringify(text).slice(1, -1);
  return `%${inJson.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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
        const head = Number(
          (deps.db.prepare('SELECT seq FROM audit_head WHERE id = 1').get() as { seq: number } | undefined)?.seq ?? 0,
        );
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
    handler({ query }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.q) {
        where.push("json LIKE ? ESCAPE '\\'");
        params.push(likeOf(query.q));
      }
      if (query.scenario) {
        where.push('scenario = ?');
        params.push(query.scenario);
      }
      if (query.entity) {
        where.push('entity_value = ?');
        params.push(query.entity);
      }
      if (query.since !== undefined) {
        where.push('time >= ?');
        params.push(query.since);
      }
      const rows = deps.db
        .prepare(
          `SELECT json FROM detections${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC LIMIT ?`,
        )
        .pluck()
        .all(...params, query.limit) as string[];
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
