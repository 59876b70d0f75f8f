import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LeukoConfig } from '../config/index.js';
import type { AuditRecord } from '../core/audit.js';
import { toCef, toEcs, toRfc5424 } from './format.js';
import { createSyslogSink, type LineSink, type SinkStats } from './syslog-sink.js';
import { createWebhookSink } from './webhook.js';

/**
 * Every configured export behind one `write(records)`: syslog/CEF collectors, the ECS file and
 * webhooks, each given only the record kinds it asked for. Sinks fail independently: one dead
 * collector costs a counter, not the others' copies.
 */
export function createExporter(opts: {
  config: LeukoConfig['exports'];
  host: string;
  version: string;
  /** Resolves the ECS file path (relative to the config file). */
  resolvePath(p: string): string;
  log(level: 'warn', message: string, details?: Record<string, unknown>): void;
}) {
  const syslog = opts.config.syslog.map((s) => ({
    kinds: new Set<string>(s.kinds),
    format: s.format,
    sink: createSyslogSink(s.target) as LineSink,
    target: s.target,
  }));
  const webhooks = opts.config.webhooks.map((w) =>
    createWebhookSink({ url: w.url, format: w.format, events: w.events, timeoutMs: w.timeout * 1000, host: opts.host }),
  );
  const ecs = opts.config.ecs_file
    ? { path: opts.resolvePath(opts.config.ecs_file.path), kinds: new Set<string>(opts.config.ecs_file.kinds) }
    : undefined;
  const ecsStats: SinkStats = { sent: 0, dropped: 0, errors: 0 };
  let ecsReady = false;

  return {
    enabled: syslog.length > 0 || webhooks.length > 0 || ecs !== undefined,
    stats: () => ({
      syslog: syslog.map((s) => ({ target: s.target, ...s.sink.stats })),
      webhooks: webhooks.map((w) => ({ ...w.stats })),
      ecs: { ...ecsStats },
    }),
    async write(records: readonly AuditRecord[]): Promise<void> {
      await Promise.all([
        ...syslog.map(async (s) => {
          const lines = records
            .filter((r) => s.kinds.has(r.kind))
            .map((r) =>
              s.format === 'cef' ? toRfc5424(r, opts.host, toCef(r, opts.host, opts.version)) : toRfc5424(r, opts.host),
            );
          if (lines.length) await s.sink.send(lines);
        }),
        ...webhooks.map((w) => w.send(records)),
        (async () => {
          if (!ecs) return;
          const lines = records.filter((r) => ecs.kinds.has(r.kind)).map((r) => JSON.stringify(toEcs(r, opts.host)));
          if (!lines.length) return;
          try {
            if (!ecsReady) {
              await mkdir(dirname(ecs.path), { recursive: true });
              ecsReady = true;
            }
            await appendFile(ecs.path, `${lines.join('\n')}\n`, { mode: 0o640 });
            ecsStats.sent += lines.length;
          } catch (err) {
            ecsStats.errors++;
            opts.log('warn', `exports: cannot append to ${ecs.path}`, { error: String(err) });
          }
        })(),
      ]);
    },
    async close(): Promise<void> {
      await Promise.all(syslog.map((s) => s.sink.close()));
    },
  };
}

export type Exporter = ReturnType<typeof createExporter>;
