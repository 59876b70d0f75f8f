import { z } from 'zod';
import { createLapiStream, lookupDecisions } from '../lapi.js';
import { requirePrincipal } from '../route.js';
import * as S from '../schemas.js';
import type { RouteContext } from './context.js';

/** CrowdSec LAPI routes bouncers call (X-Api-Key), with CrowdSec's response shapes. */
export function lapiRoutes({ add, deps }: RouteContext): void {
  const pull = createLapiStream(deps);

  add({
    method: 'GET',
    url: '/v1/decisions/stream',
    operationId: 'lapiDecisionsStream',
    summary: 'CrowdSec bouncer stream: new and deleted decisions since this bouncer’s last pull (startup=true: all)',
    tag: 'crowdsec',
    access: 'bouncer',
    query: S.LapiStreamQuery,
    response: z.object({ new: z.array(S.LapiDecision), deleted: z.array(S.LapiDecision) }),
    handler({ query, principal }) {
      return pull(requirePrincipal(principal).id, query.startup === 'true', query);
    },
  });

  add({
    method: 'GET',
    url: '/v1/decisions',
    operationId: 'lapiDecisions',
    summary: 'CrowdSec bouncer lookup: decisions for an address or range (null when none, as CrowdSec answers)',
    tag: 'crowdsec',
    access: 'bouncer',
    query: S.LapiDecisionsQuery,
    response: z.array(S.LapiDecision).nullable(),
    async handler({ query }, _req, reply) {
      const list = await lookupDecisions(deps.store, deps.clock.now(), query);
      // CrowdSec answers the JSON literal null for "nothing": bouncers test for it.
      if (list.length === 0) return reply.type('application/json').send('null');
      return list;
    },
  });

  add({
    method: 'POST',
    url: '/v1/usage-metrics',
    operationId: 'lapiUsageMetrics',
    summary: 'Accepts the usage metrics newer bouncers push (ignored)',
    tag: 'crowdsec',
    access: 'bouncer',
    status: 201,
    response: z.object({}),
    handler: () => ({}),
  });
}
