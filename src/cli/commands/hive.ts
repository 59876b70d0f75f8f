import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { openFleetBus } from '../../fleet/bus.js';
import { runHive } from '../../fleet/hive.js';
import { createHiveRuntime, startHiveApi } from '../../fleet/hive-api.js';
import { registryFromConfig } from '../../fleet/trust.js';
import { openPostgresStore } from '../../store/postgres-store.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { createDaemonLog } from '../daemon-log.js';
import { fail } from '../output.js';

/**
 * `leuko hive`: the fleet's memory. Consumes every agent's signed detections and decisions
 * from JetStream into PostgreSQL, exactly once, and correlates them across hosts into fleet
 * incidents; serves the HTTP API and dashboard over that store with the fleet view (agents,
 * last seen, version, lag). `leuko --config hive.yaml incidents` reads the same store.
 */
export function registerHive(program: Command): void {
  program
    .command('hive')
    .description(
      'run the hive: store the fleet\u2019s detections and decisions in PostgreSQL, correlate across hosts, serve the fleet API and dashboard',
    )
    .option('--json', 'print each stored message as a JSON line')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const fleet = runtime.config.fleet;
      if (!fleet?.hive) return fail('the hive needs `fleet:` with a `hive: { store_url: postgres://... }` section', 2);
      const log = createDaemonLog(runtime.config.log, () => systemClock.now());
      const store = openPostgresStore({ url: fleet.hive.store_url, schema: fleet.hive.schema });
      await store.migrate();
      const bus = await openFleetBus(fleet, 'leuko-hive');
      const registry = registryFromConfig(fleet);
      const runtimeView = createHiveRuntime(systemClock);
      const stop = await runHive({
        bus,
        store,
        config: fleet,
        registry,
        now: () => systemClock.now(),
        log,
        onOutcome: (outcome, subject) => {
          runtimeView.onOutcome(outcome, subject);
          if (opts.json) process.stdout.write(`${JSON.stringify({ outcome, subject })}\n`);
        },
      });
      const api = runtime.config.api.enabled
        ? await startHiveApi({
            config: runtime.config,
            configFile: runtime.file,
            store,
            bus,
            registry,
            runtime: runtimeView,
            clock: systemClock,
            log,
          })
        : undefined;
      log(
        'info',
        `hive running: ${fleet.nats.servers.join(', ')} -> ${fleet.hive.store_url.replace(/:[^:@/]*@/, ':***@')} (schema ${fleet.hive.schema})`,
      );
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log('info', `${signal}: stopping`);
        stop()
          .then(() => api?.stop())
          .then(() => bus.close())
          .then(() => store.close())
          .then(() => process.exit(0))
          .catch(() => process.exit(1));
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}
