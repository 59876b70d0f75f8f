import { hostname } from 'node:os';
import type { Command } from 'commander';
import pc from 'picocolors';
import { systemClock } from '../../core/clock.js';
import { createIdGenerator } from '../../core/ids.js';
import { startAddons } from '../../daemon/addons.js';
import { startDaemon } from '../../daemon/daemon.js';
import { buildSources } from '../../daemon/build-sources.js';
import { watchSourcePatterns } from '../../daemon/pattern-watch.js';
import { assembleEnforcement } from '../../enforcement/assemble.js';
import { withFleetRules } from '../../fleet/rules-sync.js';
import { buildExtensions } from '../../pipeline/extensions.js';
import { acquireInstanceLock } from '../../store/instance-lock.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openStoreAt } from '../runtime-store.js';
import { createDaemonLog } from '../daemon-log.js';
import { fail } from '../output.js';

/**
 * `leuko run`: the daemon. Without a config it protects this host on embedded defaults
 * (observe mode: it detects and records decisions, and enforces nothing).
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the daemon: tail the configured logs, detect, decide, record')
    .option('--json', 'write detections and decisions to stdout as JSON lines')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals() as RuntimeOptions;
      const runtime = loadRuntime(global);
      if (!runtime) return;
      const log = createDaemonLog(runtime.config.log, () => systemClock.now());
      for (const w of runtime.warnings) log('warn', w);
      // One daemon per store: a second one would read every line again (see instance-lock.ts).
      let lock: ReturnType<typeof acquireInstanceLock>;
      try {
        lock = acquireInstanceLock(runtime.storeDir);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err), 2);
        return;
      }
      const store = await openStoreAt(runtime.storeDir);
      const sources = await buildSources(runtime.sources, log);
      const ids = createIdGenerator();
      const enforcement = await assembleEnforcement({
        config: runtime.config,
        store,
        storeDir: runtime.storeDir,
        clock: systemClock,
        ids,
        hostName: hostname(),
        log,
      });
      if (sources.length === 0) log('warn', 'no log source is configured or present; waiting with nothing to read');
      const emit = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
      // A fleet agent also runs the rules its hive pushes (signed, validated before use).
      const settings = runtime.config.fleet ? withFleetRules(runtime.settings, runtime.storeDir) : runtime.settings;
      const daemon = await startDaemon({
        settings,
        sources,
        store,
        clock: systemClock,
        ids,
        hostName: hostname(),
        log,
        enforcer: enforcement.enforcer,
        extensions: () =>
          buildExtensions({
            config: runtime.config,
            baseDir: runtime.baseDir,
            clock: systemClock,
            ids,
            storeDir: runtime.storeDir,
          }),
        listener: {
          onDetection(d, incident) {
            if (opts.json) emit({ type: 'detection', incident: incident.id, ...d });
            else log('info', `${pc.bold(d.scenario)} ${d.entity.type}:${d.entity.value} — ${d.explanation}`);
          },
          onDecision(d) {
            if (opts.json) emit({ type: 'decision', ...d });
            else
              log('info', `${pc.bold('decision')} ${d.action} ${d.scope}:${d.value} for ${d.durationS}s (${d.status})`);
          },
        },
      });
      const addons = await startAddons({
        config: runtime.config,
        configFile: runtime.file,
        store,
        storeDir: runtime.storeDir,
        settings,
        clock: systemClock,
        ids,
        hostName: hostname(),
        daemon,
        enforcer: enforcement.enforcer,
        policy: enforcement.policy,
        log,
      });
      // Files the config's path patterns name from now on (new pods' logs, logs named by date).
      const patterns = runtime.sourcePatterns;
      const watcher =
        patterns.length === 0
          ? undefined
          : watchSourcePatterns({
              patterns,
              taken: new Set(runtime.sources.flatMap((s) => (s.type === 'file' ? [s.path] : []))),
              adopted: new Map(
                runtime.sources.flatMap((s) => (s.type === 'file' && s.pattern !== undefined ? [[s.path, s.id]] : [])),
              ),
              intervalMs: Math.min(...patterns.map((p) => p.rescanMs)),
              add: (source) => daemon.addSource(source),
              release: (id) => daemon.stopSource(id),
              log,
            });
      log(
        'info',
        `leuko running in ${runtime.settings.decisions.mode} mode; store ${runtime.storeDir}; sources: ${sources.map((s) => s.source.id).join(', ') || 'none'}`,
      );
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log('info', `${signal}: stopping`);
        addons
          .stop()
          .then(() => watcher?.stop())
          .then(() => daemon.stop())
          .then(() => enforcement.close())
          .then(() => store.close())
          .then(() => lock.release())
          .then(() => process.exit(0))
          .catch((err) => {
            log('error', 'shutdown failed', { error: String(err) });
            process.exit(1);
          });
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      await daemon.done;
      // Only a finite source (stdin) ends by itself; then shut down cleanly. Without any
      // source the daemon stays up (its store and status remain) until it is signalled.
      if (runtime.sources.some((s) => s.type === 'stdin')) stop('end of input');
    });
}
