import { z } from 'zod';
import { nonEmpty } from './fields.js';

/** Streams an export can carry: audit records of these kinds. */
export const EXPORT_KINDS = ['detection', 'incident', 'decision', 'action', 'operator', 'daemon', 'config'] as const;

const kinds = z
  .array(z.enum(EXPORT_KINDS))
  .default(['detection', 'incident', 'decision', 'action', 'operator'])
  .meta({ description: 'Which audit record kinds to send' });

const syslogTarget = z.strictObject({
  target: z
    .string()
    .regex(/^(udp|tcp):\/\/[^/]+:\d{1,5}$/, 'write udp://HOST:PORT or tcp://HOST:PORT')
    .meta({ description: 'Collector, e.g. udp://127.0.0.1:514 or tcp://siem.example:6514' }),
  format: z
    .enum(['rfc5424', 'cef'])
    .default('rfc5424')
    .meta({ description: 'rfc5424 (structured syslog) or cef (ArcSight CEF inside syslog)' }),
  kinds,
});

const webhook = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).meta({ description: 'Where to POST' }),
  format: z
    .enum(['generic', 'slack'])
    .default('generic')
    .meta({ description: 'generic JSON, or Slack-compatible text' }),
  events: z
    .array(z.enum(['incident', 'approval']))
    .default(['incident', 'approval'])
    .meta({ description: 'incident: opened and dismissed/confirmed; approval: queued and answered' }),
  timeout: z.number().min(0.1).max(60).default(5).meta({ description: 'Seconds per request' }),
});

/**
 * `exports:` — copies of what Leuko records, for a SIEM or chat: syslog (RFC 5424) or CEF to a
 * collector, ECS JSON lines to a file, webhooks for incidents and approvals. All optional.
 */
export const exportsSchema = z
  .strictObject({
    syslog: z.array(syslogTarget).default([]),
    ecs_file: z
      .strictObject({ path: nonEmpty('File to append ECS JSON lines to', '/var/log/leuko/events.ecs.json'), kinds })
      .optional(),
    webhooks: z.array(webhook).default([]),
  })
  .prefault({});
