import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { withHint } from './hint-registry.js';
import { nonEmpty } from './fields.js';

export const DEFAULT_API_LISTEN = '127.0.0.1:8470';

const API_LISTEN_HINT =
  'write HOST:PORT with an IP address, e.g. "127.0.0.1:8470" or "[::1]:8470" (port 0: any free port)';

/** `127.0.0.1:8470`, `[::1]:8470`; port 0 picks a free port (logged at start). */
export function parseApiListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const ok = m[1] !== undefined ? ipaddr.IPv6.isValid(host) : ipaddr.IPv4.isValidFourPartDecimal(host);
  return ok ? { host, port } : undefined;
}

/**
 * `api:` — the HTTP API, dashboard, metrics and CrowdSec bouncer endpoints inside `leuko run`.
 * On by default on loopback only: nothing answers without a token (`leuko tokens create`),
 * and another address must be chosen on purpose (with TLS, ideally).
 */
export const apiSchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: 'Serve the API and dashboard (default true)' }),
    listen: withHint(
      z
        .string()
        .refine((v) => parseApiListen(v) !== undefined, { message: 'invalid listen address' })
        .default(DEFAULT_API_LISTEN)
        .meta({ description: `Address and port (default ${DEFAULT_API_LISTEN}, loopback only)` }),
      API_LISTEN_HINT,
    ),
    tls: z
      .strictObject({
        cert: nonEmpty('PEM certificate file', '/etc/leuko/tls/cert.pem'),
        key: nonEmpty('PEM private key file', '/etc/leuko/tls/key.pem'),
      })
      .optional()
      .meta({ description: 'Serve HTTPS with this certificate and key' }),
    metrics_public: z
      .boolean()
      .default(true)
      .meta({ description: 'Serve /metrics without a token (default true, for a local Prometheus)' }),
    dashboard: z.boolean().default(true).meta({ description: 'Serve the web dashboard at / (default true)' }),
  })
  .prefault({});
