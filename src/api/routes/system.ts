import { z } from 'zod';
import { VERSION } from '../../cli/version.js';
import { redactConfig } from '../redact.js';
import { buildStatus } from '../runtime-view.js';
import { requirePrincipal } from '../route.js';
import * as S from '../schemas.js';
import { serveStream } from '../sse.js';
import type { RouteContext } from './context.js';

export function systemRoutes({ add, deps }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/health',
    operationId: 'health',
    summary: 'Liveness: the daemon answers (no token needed)',
    tag: 'system',
    access: 'public',
    response: z.object({ ok: z.boolean(), version: z.string() }),
    handler: () => ({ ok: true, version: VERSION }),
  });

  add({
    method: 'GET',
    url: '/api/v1/whoami',
    operationId: 'whoami',
    summary: 'The token’s name and role (the dashboard signs in with it)',
    tag: 'system',
    access: 'viewer',
    response: z.object({ id: z.string(), name: z.string(), role: z.string(), actor: z.string() }),
    handler: ({ principal }) => ({ ...requirePrincipal(principal) }),
  });

  add({
    method: 'GET',
    url: '/api/v1/status',
    operationId: 'status',
    summary: 'Mode, live counters, sources, breaker, drift, queue and lag',
    tag: 'system',
    access: 'viewer',
    response: S.Status,
    handler: () => buildStatus(deps),
  });

  add({
    method: 'GET',
    url: '/api/v1/stats/series',
    operationId: 'series',
    summary: 'Recent throughput samples (events/s, detections, decisions) for charts',
    tag: 'system',
    access: 'viewer',
    response: z.array(S.SeriesPoint),
    handler: () => deps.series.points(),
  });

  add({
    method: 'GET',
    url: '/api/v1/config',
    operationId: 'config',
    summary: 'The running configuration, read-only, secrets redacted',
    tag: 'system',
    access: 'admin',
    response: z.record(z.string(), z.unknown()),
    handler: () => redactConfig(deps.config) as Record<string, unknown>,
  });

  add({
    method: 'GET',
    url: '/api/v1/tokens',
    operationId: 'listTokens',
    summary: 'API tokens and bouncer keys (never their secrets)',
    tag: 'system',
    access: 'admin',
    response: z.array(S.Credential),
    handler: async () => [...(await deps.credentials.list('tokens')), ...(await deps.credentials.list('bouncers'))],
  });

  add({
    method: 'GET',
    url: '/api/v1/stream',
    operationId: 'stream',
    summary:
      'Server-sent events: detection, incident, decision, healing and operator records as they are committed (id = audit seq)',
    tag: 'system',
    access: 'viewer',
    produces: 'text/event-stream',
    handler(_input, req, reply) {
      serveStream(req, reply, deps.tail, (afterSeq) => deps.store.listAudit({ afterSeq, limit: 1000 }));
    },
  });

  add({
    method: 'GET',
    url: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics (text exposition format)',
    tag: 'system',
    access: deps.publicMetrics === false ? 'viewer' : 'public',
    produces: 'text/plain; version=0.0.4',
    async handler(_input, _req, reply) {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  });
}
