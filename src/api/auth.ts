import type { FastifyRequest } from 'fastify';
import { type CredentialsRepo, roleAllows } from './credentials.js';
import { ApiProblem } from './problem.js';
import type { FailureLimiter } from './rate-limit.js';
import type { Access, Principal } from './route.js';

/** The secret a request carries: `Authorization: Bearer …` for tokens, `X-Api-Key` for bouncers. */
function secretOf(req: FastifyRequest, access: Access): string | undefined {
  if (access === 'bouncer') {
    const key = req.headers['x-api-key'];
    return typeof key === 'string' ? key.trim() : undefined;
  }
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

/**
 * Authentication and authorization for one route. Public routes still identify a caller who
 * sends a token. A missing or unknown secret is 401 (bouncers get CrowdSec's 403) and counts
 * as a failure for the client's address; a known token without the role is 403.
 */
export function createAuthenticator(deps: { credentials: CredentialsRepo; limiter: FailureLimiter }) {
  return async (req: FastifyRequest, access: Access): Promise<Principal | undefined> => {
    const client = req.ip;
    const wait = deps.limiter.blockedFor(client);
    if (wait > 0 && access !== 'public')
      throw new ApiProblem(429, 'Too many requests', `too many failed authentications; retry in ${wait} s`, undefined, {
        'retry-after': String(wait),
      });
    const secret = secretOf(req, access);
    if (secret === undefined) {
      if (access === 'public') return undefined;
      deps.limiter.fail(client);
      throw access === 'bouncer'
        ? new ApiProblem(403, 'Forbidden', 'access forbidden: send the bouncer key as X-Api-Key')
        : new ApiProblem(
            401,
            'Unauthorized',
            'send a token: Authorization: Bearer TOKEN (see leuko tokens create)',
            undefined,
            {
              'www-authenticate': 'Bearer realm="leuko"',
            },
          );
    }
    const cred = await deps.credentials.authenticate(secret);
    if (!cred) {
      deps.limiter.fail(client);
      if (access === 'public') return undefined;
      throw access === 'bouncer'
        ? new ApiProblem(403, 'Forbidden', 'access forbidden: unknown bouncer key')
        : new ApiProblem(401, 'Unauthorized', 'unknown or revoked token', undefined, {
            'www-authenticate': 'Bearer realm="leuko", error="invalid_token"',
          });
    }
    const principal: Principal = {
      id: cred.id,
      name: cred.name,
      role: cred.role,
      actor: `${cred.role === 'bouncer' ? 'bouncer' : 'token'}:${cred.name}`,
    };
    if (access === 'public') return principal;
    if (access === 'bouncer') {
      if (cred.role !== 'bouncer') throw new ApiProblem(403, 'Forbidden', 'access forbidden: not a bouncer key');
      return principal;
    }
    if (!roleAllows(cred.role, access))
      throw new ApiProblem(403, 'Forbidden', `this needs the ${access} role; the token ${cred.name} has ${cred.role}`);
    return principal;
  };
}
