import { z } from 'zod';
import { notFound } from '../problem.js';
import type { RouteContext } from './context.js';

const FleetAgent = z.object({
  agent: z.string(),
  lastSeen: z.number(),
  seenAgoS: z.number(),
  version: z.string(),
  lagMs: z.number().nullable(),
  lines: z.number(),
  decisions: z.number(),
  enrolled: z.boolean(),
  trustedScopes: z.array(z.string()),
});

/**
 * The fleet view (`leuko hive` only): agents with their last heartbeat. Served everywhere so the
 * OpenAPI document is the same for every Leuko; a daemon that is not the hive answers 404.
 * Fleet incidents are `GET /api/v1/incidents?scenario=leuko/fleet-correlation`.
 */
export function fleetRoutes({ add, deps }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/fleet/agents',
    operationId: 'fleetAgents',
    summary: 'The fleet’s agents: last seen, version, lag, counters, enrolment (the hive only)',
    tag: 'fleet',
    access: 'viewer',
    response: z.array(FleetAgent),
    async handler() {
      if (!deps.fleet) throw notFound('this is not a hive: run `leuko hive` for the fleet view');
      return deps.fleet.agents();
    },
  });
}
