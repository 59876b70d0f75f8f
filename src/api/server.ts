import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAuthenticator } from './auth.js';
import type { ApiDeps } from './deps.js';
import { buildOpenApi } from './openapi.js';
import { ApiProblem, sendProblem } from './problem.js';
import type { RouteRegistry } from './route.js';
import { approvalRoutes } from './routes/approvals.js';
import { auditRoutes } from './routes/audit.js';
import { createRouteContext } from './routes/context.js';
import { decisionRoutes } from './routes/decisions.js';
import { fleetRoutes } from './routes/fleet.js';
import { incidentRoutes } from './routes/incidents.js';
import { healingRoutes } from './routes/healing.js';
import { lapiRoutes } from './routes/lapi.js';
import { systemRoutes } from './routes/system.js';

export interface ApiServerOptions {
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /**
   * Host names (without port) requests may name. Set when listening on loopback: a web page
   * whose DNS name is re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host and is
   * refused, so it cannot even read /metrics from the victim's browser.
   */
  readonly allowedHosts?: readonly string[];
}

/** `Host: name:port` or `[v6]:port` to the bare lower-case name. */
export function hostName(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * The HTTP API as a Fastify instance, not yet listening: the add-on listens, tests `inject()`.
 * Every route is declared with zod schemas (src/api/schemas.ts); /openapi.json is built from
 * the same declarations, so the document lists exactly what is served and validated.
 */
export async function buildApiServer(deps: ApiDeps, opts: ApiServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    // Client address for the auth-failure limiter is the socket's: no proxy headers trusted.
    trustProxy: false,
    // Open event streams must not hold up shutdown.
    forceCloseConnections: true,
    ...(opts.https ? { https: { cert: opts.https.cert, key: opts.https.key } } : {}),
  }) as unknown as FastifyInstance;

  const served: { method: string; url: string }[] = [];
  SERVED.set(app, served);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) served.push({ method: String(m), url: r.url });
  });

  const allowed = opts.allowedHosts ? new Set(opts.allowedHosts.map((h) => h.toLowerCase())) : undefined;
  if (allowed)
    app.addHook('onRequest', async (req, reply) => {
      if (!allowed.has(hostName(req.headers.host)))
        return sendProblem(reply, new ApiProblem(421, 'Misdirected request', 'this host name is not served here'));
    });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    return payload;
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ApiProblem) return sendProblem(reply, err);
    const e = err as { statusCode?: number; message?: string; code?: string };
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
      return sendProblem(reply, new ApiProblem(e.statusCode, 'Bad request', e.message));
    deps.log('error', 'api request failed', { error: String(err) });
    return sendProblem(reply, new ApiProblem(500, 'Internal error', 'the request failed; see the daemon log'));
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new ApiProblem(404, 'Not found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );

  const registry: RouteRegistry = [];
  const ctx = createRouteContext(
    app,
    registry,
    createAuthenticator({ credentials: deps.credentials, limiter: deps.limiter }),
    deps,
  );
  systemRoutes(ctx);
  incidentRoutes(ctx);
  decisionRoutes(ctx);
  approvalRoutes(ctx);
  auditRoutes(ctx);
  lapiRoutes(ctx);
  healingRoutes(ctx);
  fleetRoutes(ctx);

  const doc = buildOpenApi(registry);
  app.get('/openapi.json', async () => doc);

  if (deps.webDir && existsSync(join(deps.webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: deps.webDir, prefix: '/', index: 'index.html', wildcard: false });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Leuko API. The dashboard is not built here: run `npm run build:web`. API: /openapi.json\n'),
    );
  }
  return app;
}

const SERVED = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route the instance serves (method and path), for checking the OpenAPI document against. */
export function servedRoutes(app: FastifyInstance): readonly { method: string; url: string }[] {
  return SERVED.get(app) ?? [];
}
