import { z } from 'zod';
import { VERSION } from '../cli/version.js';
import { Problem } from './schemas.js';
import type { RouteRegistry, RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

/** Query or path parameters: one OpenAPI parameter per property of the object schema. */
function parameters(s: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!s) return [];
  const json = toSchema(s, 'input');
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operation(r: RouteSpec): JsonSchema {
  const responses: Record<string, unknown> = {
    [String(r.status ?? 200)]: r.response
      ? { description: 'OK', content: { 'application/json': { schema: toSchema(r.response, 'output') } } }
      : { description: 'OK', content: { [r.produces ?? 'text/plain']: { schema: { type: 'string' } } } },
  };
  if (r.params || r.query || r.body) responses['400'] = problem('Invalid request');
  if (r.access !== 'public') {
    responses['401'] = problem('No or unknown token');
    responses['403'] = problem('The token lacks the role');
    responses['429'] = problem('Too many failed authentications from this address');
  }
  if (r.params) responses['404'] = problem('Not found');
  if (r.write) responses['409'] = problem('Conflict with the current state');
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    ...(r.access === 'public'
      ? { security: [] }
      : r.access === 'bouncer'
        ? { security: [{ bouncerKey: [] }] }
        : { security: [{ bearer: [] }], 'x-leuko-role': r.access }),
    parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
    ...(r.body
      ? {
          requestBody: {
            required: false,
            content: { 'application/json': { schema: toSchema(r.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for every registered route, from the schemas the handlers use. */
export function buildOpenApi(routes: RouteRegistry): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = (paths[r.url] ??= {});
    path[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Leuko API',
      version: VERSION,
      description:
        'See and steer Leuko: incidents, decisions, approvals, audit, live stream, metrics, and the CrowdSec ' +
        'bouncer endpoints. Tokens come from `leuko tokens create --role viewer|operator|admin`; bouncer keys from ' +
        '`leuko bouncers add NAME`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token (leuko tokens create)' },
        bouncerKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'leuko bouncers add NAME' },
      },
      schemas: { Problem: toSchema(Problem, 'output') },
    },
    paths,
  };
}
