import type { DaemonAddon } from '../daemon/addons.js';

/**
 * `api:` as a daemon add-on: the HTTP API, dashboard, SSE stream, /metrics and the CrowdSec
 * bouncer endpoints. A port already in use is reported and the daemon keeps protecting the
 * host: the API is for people, the pipeline must not depend on it. The server code (fastify,
 * prom-client, the schemas) is imported only when the add-on starts, so CLI commands that
 * never run the daemon do not pay for loading it.
 */
export const apiAddon: DaemonAddon = {
  name: 'api',
  enabled: (config) => config.api.enabled,
  async start(ctx) {
    const { startApi } = await import('./start.js');
    return startApi(ctx);
  },
};
