import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** An error the API answers with as RFC 9457 problem+json: a status, a title and what to fix. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly { path: string; message: string }[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? title);
  }
}

export function sendProblem(reply: FastifyReply, p: ApiProblem): FastifyReply {
  for (const [k, v] of Object.entries(p.headers ?? {})) reply.header(k, v);
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `https://leuko.dev/problems/${p.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title: p.title,
      status: p.status,
      ...(p.detail === undefined ? {} : { detail: p.detail }),
      ...(p.errors === undefined ? {} : { errors: p.errors }),
    });
}

/** 400 listing every zod issue with its path, e.g. `body.duration: a duration such as 30m`. */
export function validationProblem(where: string, error: z.ZodError): ApiProblem {
  const errors = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  return new ApiProblem(400, 'Invalid request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

export const notFound = (what: string) => new ApiProblem(404, 'Not found', what);
export const conflict = (what: string) => new ApiProblem(409, 'Conflict', what);
