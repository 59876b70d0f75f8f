import { z } from 'zod';
import { duration, listenAddress, nonEmpty } from './fields.js';
import { withHint } from './hint-registry.js';

/**
 * Formats known without asking the parser registry. The CLI passes the registry's names as
 * `knownFormats`, so a newly registered parser is accepted without touching this list.
 */
export const BUILTIN_FORMATS = [
  'auto',
  'syslog',
  'sshd',
  'sudo',
  'nginx',
  'nginx-error',
  'apache',
  'apache-error',
  'json',
  'auditd',
] as const;

export const SOURCE_TYPES = ['file', 'stdin', 'syslog', 'journald'] as const;

const START_AT = ['end', 'beginning'] as const;

function sourceId() {
  return withHint(
    z
      .string()
      .regex(/^[\w.:/@+-]{1,200}$/)
      .optional()
      .meta({
        description: 'Stable id used for checkpoints and evidence; derived from the path or type when omitted',
        examples: ['auth'],
      }),
    'use 1-200 letters, digits or . _ : / @ + - (the id keys saved read positions, so keep it stable)',
  );
}

/** Formats a config defines itself: fail2ban jails (`fail2ban:<jail>`, see src/config/fail2ban.ts). */
const CONFIG_FORMAT = /^fail2ban:[\w.-]{1,64}$/;

function formatField(formats: readonly string[]) {
  const known = new Set(formats);
  return z
    .string()
    .superRefine((v, ctx) => {
      if (!known.has(v) && !CONFIG_FORMAT.test(v))
        ctx.addIssue({ code: 'invalid_value', values: [...formats], input: v });
    })
    .default('auto')
    .meta({
      description: 'Parser for the lines; `auto` detects it per line',
      examples: ['sshd'],
      anyOf: [{ enum: [...formats] }, { pattern: CONFIG_FORMAT.source }],
    });
}

function startAt() {
  return z
    .enum(START_AT)
    .default('end')
    .meta({ description: 'Where to begin on the first run (later runs resume from the checkpoint)' });
}

/** Schema of one `sources[]` entry, discriminated on `type`. */
export function createSourceSchema(formats: readonly string[]) {
  const format = formatField(formats);
  const file = z.strictObject({
    type: z.literal('file'),
    id: sourceId(),
    path: withHint(
      nonEmpty('Log file to follow (relative paths are resolved from the config file)', '/var/log/auth.log'),
      'give the log file path, e.g. path: /var/log/auth.log',
    ),
    format,
    start_at: startAt(),
    rescan: duration('How often a path with glob characters is looked at again for new files (default 10s)', {
      min: 1,
    }).optional(),
  });
  const stdin = z.strictObject({ type: z.literal('stdin'), id: sourceId(), format });
  const syslog = z.strictObject({
    type: z.literal('syslog'),
    id: sourceId(),
    listen_udp: listenAddress('UDP address to receive syslog on').optional(),
    listen_tcp: listenAddress('TCP address to receive syslog on').optional(),
    format,
  });
  const journald = z.strictObject({
    type: z.literal('journald'),
    id: sourceId(),
    units: z
      .array(
        withHint(
          z.string().regex(/^[\w@.:\\-]{1,256}$/),
          'write a systemd unit name like ssh.service or nginx.service',
        ),
      )
      .default([])
      .meta({ description: 'Only entries of these systemd units; empty means all', examples: [['ssh.service']] }),
    format,
    start_at: startAt(),
  });
  return z.discriminatedUnion('type', [file, stdin, syslog, journald]);
}

export function createSourcesSchema(formats: readonly string[]) {
  return z.array(createSourceSchema(formats)).meta({ description: 'Where log lines come from' });
}

export type SourceInput = z.output<ReturnType<typeof createSourceSchema>>;
