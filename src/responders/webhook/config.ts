import { z } from 'zod';
import { duration } from '../../config/fields.js';
import { withHint } from '../../config/hint-registry.js';
import type { WebhookResponderOptions } from './responder.js';

const url = withHint(
  z
    .url({ protocol: /^https?$/ })
    .meta({ description: 'Where to POST', examples: ['https://hooks.slack.com/services/T/B/X'] }),
  'write a full http:// or https:// URL',
);

/**
 * YAML `responders:` entry for a webhook (action `notify` by default).
 *
 * @example
 * - { type: webhook, url: "https://hooks.slack.com/services/T/B/X", format: slack, secret: "...", timeout: 5s }
 */
export const webhookConfigSchema = z.strictObject({
  type: z.literal('webhook'),
  id: z
    .string()
    .regex(/^[\w.:@-]{1,100}$/)
    .optional(),
  url,
  format: z.enum(['generic', 'slack']).default('generic'),
  secret: withHint(
    z.string().min(16).optional().meta({ description: 'Shared secret: the body is signed with HMAC-SHA256' }),
    'use at least 16 random characters, e.g. the output of `openssl rand -hex 32`',
  ),
  timeout: duration('Time allowed for one request attempt', { min: 0.001 }).default(5),
  retries: z.number().int().min(0).max(10).default(3).meta({ description: 'Retries for 5xx, 429 and network errors' }),
  backoff: duration('First delay between retries, doubled each time').default(0.5),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(4096)).default({}),
  actions: z.array(z.string().min(1)).min(1).default(['notify']).meta({ description: 'Decision actions sent here' }),
  notify_rollback: z.boolean().default(true),
  host: z.string().min(1).optional().meta({ description: 'Host name shown in messages (default: this host)' }),
});

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

export function webhookOptionsFromConfig(c: WebhookConfig): WebhookResponderOptions {
  return {
    url: c.url,
    format: c.format,
    timeoutMs: c.timeout * 1000,
    retries: c.retries,
    backoffMs: c.backoff * 1000,
    headers: c.headers,
    actions: c.actions,
    notifyRollback: c.notify_rollback,
    ...(c.secret !== undefined ? { secret: c.secret } : {}),
    ...(c.host !== undefined ? { host: c.host } : {}),
  };
}
