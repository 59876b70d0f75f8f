import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { duration } from './fields.js';
import { withHint } from './hint-registry.js';

const absPath = withHint(
  z.string().min(1).max(4096).refine(isAbsolute, { message: 'path must be absolute' }),
  'write an absolute path such as /var/www/html or /etc/nginx',
);

/** A protected path: a file or directory (watched recursively), or a glob of files. */
const pathEntry = z.union([
  absPath,
  z.strictObject({
    path: absPath.meta({ description: 'File, directory (recursive) or glob such as /etc/cron.d/*' }),
    exclude: z
      .array(z.string().min(1).max(1024))
      .default([])
      .meta({
        description: 'Globs (relative to path, or absolute) never snapshotted or restored',
        examples: [['cache/**', '*.log']],
      }),
  }),
]);

const probe = z.union([
  z.strictObject({
    http: withHint(z.url({ protocol: /^https?$/ }), 'write a URL such as http://127.0.0.1/'),
    expect: z.number().int().min(100).max(599).default(200),
  }),
  z.strictObject({ tcp: withHint(z.string().regex(/^[\w.:[\]-]+:\d{1,5}$/), 'write HOST:PORT such as 127.0.0.1:80') }),
  z.strictObject({
    process: z.string().min(1).max(255).meta({ description: 'A process with this name (comm) must run' }),
  }),
  z.strictObject({
    command: z.string().min(1).max(4096).meta({ description: 'Shell command; exit status 0 means healthy' }),
  }),
]);

const service = z.strictObject({
  name: withHint(z.string().regex(/^[\w.@-]{1,100}$/), 'write a service name such as nginx'),
  probe,
  restart: z.string().min(1).max(4096).optional().meta({
    description: 'Shell command that (re)starts the service; default: systemctl restart NAME when systemd runs',
  }),
  config: z
    .array(absPath)
    .default([])
    .meta({ description: 'Config files or directories of the service, rolled back when restarts keep failing' }),
  interval: duration('How often to probe', { min: 0.1 }).default(5),
  timeout: duration('Probe timeout', { min: 0.05 }).default(3),
  max_restarts: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .meta({ description: 'Restarts per budget window before a person is called' }),
  budget_window: duration('Window max_restarts is counted over', { min: 1 }).default(600),
  backoff: duration('Wait after a restart before the next one (doubles each time)', { min: 0 }).default(1),
  rollback_after: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(2)
    .meta({ description: 'Failed restarts before a changed config is rolled back' }),
});

/**
 * The `protect:` section: the host's desired state. Protected paths are snapshotted by
 * `leuko baseline`, watched, and restored (in heal mode) when they drift; services are probed
 * and restarted; posture checks find and fix risky settings.
 *
 * @example
 * protect:
 *   paths: [/var/www/html, /etc/nginx]
 *   services:
 *     - { name: nginx, probe: { http: "http://127.0.0.1/" }, restart: "nginx", config: [/etc/nginx] }
 */
export const protectSchema = z
  .strictObject({
    paths: z.array(pathEntry).default([]),
    services: z.array(service).default([]),
    scan_interval: duration('Full scan of every protected path (besides watching)', { min: 1 }).default(300),
    max_snapshot_size: z
      .number()
      .int()
      .min(1)
      .default(1024 * 1024 * 1024)
      .meta({ description: 'Bytes of compressed snapshots (after deduplication) before `leuko baseline` fails' }),
    max_file_size: z
      .number()
      .int()
      .min(1)
      .default(64 * 1024 * 1024)
      .meta({ description: 'Larger files are tracked by hash and metadata only (cannot be restored)' }),
    ransomware: z
      .strictObject({
        files: z.number().int().min(2).max(100_000).default(10).meta({
          description: 'High-entropy rewrites, renames or deletions in one tree within `window` that make a burst',
        }),
        window: duration('Burst window', { min: 0.1 }).default(5),
        hold: duration('How long a high-entropy change waits to see whether a burst follows', { min: 0 }).default(0.3),
        entropy: z
          .number()
          .min(0)
          .max(8)
          .default(7.2)
          .meta({ description: 'Bits per byte above which new content counts as encrypted' }),
      })
      .prefault({}),
    posture: z
      .strictObject({
        sshd_config: z.string().default('/etc/ssh/sshd_config'),
        passwd: z.string().default('/etc/passwd'),
        shadow: z.string().default('/etc/shadow'),
        cron_dirs: z.array(absPath).default(['/etc/cron.d', '/var/spool/cron/crontabs']),
        systemd_dirs: z.array(absPath).default(['/etc/systemd/system']),
        enabled: z.boolean().default(true),
        interval: duration('How often posture is checked', { min: 1 }).default(300),
      })
      .prefault({}),
  })
  .optional()
  .meta({ description: 'Desired state Leuko restores: protected paths, services, posture' });

export type ProtectConfig = NonNullable<z.output<typeof protectSchema>>;
