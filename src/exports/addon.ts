import { dirname, resolve } from 'node:path';
import { auditHeadSeq, createAuditTail } from '../api/audit-tail.js';
import { openApiDatabase } from '../api/open-db.js';
import { VERSION } from '../cli/version.js';
import type { LeukoConfig } from '../config/index.js';
import type { AddonContext, DaemonAddon, RunningAddon } from '../daemon/addons.js';
import { createSerialQueue } from '../pipeline/serial-queue.js';
import { createExporter } from './exporter.js';

/** Where exports got to in the audit log, kept in the store so a restart resends nothing and skips nothing. */
export const EXPORTS_POSITION_KEY = 'exports-position';

const configured = (c: LeukoConfig) =>
  c.exports.syslog.length > 0 || c.exports.webhooks.length > 0 || c.exports.ecs_file !== undefined;

/**
 * `exports:` as a daemon add-on: follows the audit log (the one ordered, durable record of
 * everything Leuko saw and did) and copies it to collectors, a file and webhooks. The first
 * start begins at the current end of the log; later starts resume where the last one stopped.
 */
export const exportsAddon: DaemonAddon = {
  name: 'exports',
  enabled: configured,
  async start(ctx: AddonContext): Promise<RunningAddon> {
    const base = ctx.configFile ? dirname(resolve(ctx.configFile)) : process.cwd();
    const exporter = createExporter({
      config: ctx.config.exports,
      host: ctx.hostName,
      version: VERSION,
      resolvePath: (p) => resolve(base, p),
      log: ctx.log,
    });
    const saved = Number(await ctx.store.loadState(EXPORTS_POSITION_KEY));
    let startAfter = Number.isFinite(saved) && saved > 0 ? saved : undefined;
    if (startAfter === undefined) {
      const db = openApiDatabase(ctx.storeDir, ctx.clock);
      try {
        startAfter = auditHeadSeq(db);
      } finally {
        db.close();
      }
    }
    const tail = createAuditTail({
      store: ctx.store,
      startAfter,
      onError: (err) => ctx.log('warn', 'exports: audit tail failed', { error: String(err) }),
    });
    const queue = createSerialQueue();
    tail.subscribe((records) => {
      const last = records.at(-1)?.seq;
      queue
        .run(async () => {
          await exporter.write(records);
          if (last !== undefined)
            await ctx.store.commit({ state: [{ key: EXPORTS_POSITION_KEY, value: String(last) }] });
        })
        .catch((err) => ctx.log('warn', 'exports: write failed', { error: String(err) }));
    });
    tail.start();
    return {
      async stop() {
        await tail.stop();
        await tail.poll();
        await queue.idle();
        await exporter.close();
      },
    };
  },
};
