import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CredentialRole, TokenRole } from './credentials.js';
import { ApiProblem, validationProblem } from './problem.js';

/** Who is calling: from the bearer token or bouncer key that authenticated the request. */
export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly role: CredentialRole;
  /** As the audit log names it: `token:alice`, `bouncer:fw1`. */
  readonly actor: string;
}

export type Access = 'public' | TokenRole | 'bouncer';

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/** One operation: its schemas (validation and OpenAPI) and its handler. */
export interface RouteSpec<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Success status and its body schema (undefined: no JSON body, e.g. an event stream). */
  readonly status?: number;
  readonly response?: z.ZodType;
  /** Content type of a non-JSON success body. */
  readonly produces?: string;
  /** Writes are audited and need at least `operator`. */
  readonly write?: boolean;
  handler(
    input: { params: Infer<P>; query: Infer<Q>; body: Infer<B>; principal: Principal | undefined },
    req: FastifyRequest,
    reply: FastifyReply,
  ): unknown | Promise<unknown>;
}

/** Every route registered, for the OpenAPI document. */
export type RouteRegistry = RouteSpec[];

type Authenticate = (req: FastifyRequest, access: Access) => Promise<Principal | undefined>;

function parse<T extends z.ZodType>(where: string, schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw validationProblem(where, r.error);
  return r.data;
}

/**
 * Register a route: authentication first (a bad token is 401 before its input is even
 * looked at), then params, query and body parsed with the same zod schemas /openapi.json shows.
 */
export function addRoute<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
>(app: FastifyInstance, registry: RouteRegistry, authenticate: Authenticate, spec: RouteSpec<P, Q, B>): void {
  registry.push(spec as unknown as RouteSpec);
  app.route({
    method: spec.method,
    url: spec.url.replace(/\{(\w+)\}/g, ':$1'),
    handler: async (req, reply) => {
      const principal = await authenticate(req, spec.access);
      const params = (spec.params ? parse('params', spec.params, req.params) : undefined) as Infer<P>;
      const query = (spec.query ? parse('query', spec.query, req.query) : undefined) as Infer<Q>;
      if (spec.body && req.body === undefined && spec.method !== 'GET') {
        // An empty body is an empty object, so schemas with only defaults need no body at all.
        req.body = {};
      }
      const body = (spec.body ? parse('body', spec.body, req.body) : undefined) as Infer<B>;
      const out = await spec.handler({ params, query, body, principal }, req, reply);
      if (reply.sent) return reply;
      if (spec.status) reply.code(spec.status);
      return out;
    },
  });
}

export function requirePrincipal(p: Principal | undefined): Principal {
  if (!p) throw new ApiProblem(401, 'Unauthorized', 'send a token: Authorization: Bearer TOKEN');
  return p;
}
