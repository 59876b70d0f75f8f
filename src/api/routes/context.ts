import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { WriteDeps } from '../operations.js';
import { addRoute, type Principal, type RouteRegistry, type RouteSpec } from '../route.js';

/** What each route module gets: a typed `add` and the dependencies. */
export interface RouteContext {
  readonly deps: ApiDeps;
  readonly writes: WriteDeps;
  add<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(
    spec: RouteSpec<P, Q, B>,
  ): void;
}

export function createRouteContext(
  app: FastifyInstance,
  registry: RouteRegistry,
  authenticate: (
    req: Parameters<Parameters<typeof addRoute>[2]>[0],
    access: RouteSpec['access'],
  ) => Promise<Principal | undefined>,
  deps: ApiDeps,
): RouteContext {
  return {
    deps,
    writes: {
      store: deps.store,
      approvals: deps.repos.approvals,
      allowlist: deps.allowlist,
      clock: deps.clock,
      ids: deps.ids,
    },
    add: (spec) => addRoute(app, registry, authenticate, spec),
  };
}

/** Comma-separated query value to a list (schemas already checked the members). */
export function csvList<T extends string>(v: string | undefined): T[] | undefined {
  return v ? (v.split(',') as T[]) : undefined;
}
