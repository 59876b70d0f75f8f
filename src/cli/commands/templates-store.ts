import os from 'node:os';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import type { Store } from '../../core/store.js';
import { NOVELTY_DETECTOR, TEMPLATES_DETECTOR } from '../../detectors/templates/extension.js';
import { TemplateModels } from '../../detectors/templates/models.js';
import { detectorStateKey } from '../../pipeline/processor.js';
import { acquireInstanceLock, type InstanceLock } from '../../store/instance-lock.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openRuntimeStore, openRuntimeStoreOf } from '../runtime-store.js';
import { fail, printJson, printTable } from '../output.js';

/**
 * `leuko templates list` and `leuko templates reset [--source ID]`: the templates the daemon
 * learned, read from (and reset in) the store. The daemon keeps its models in memory and
 * commits them with each checkpoint, so a reset while it runs would be written over at its next
 * commit: `reset` takes the daemon's lock of a local store (see instance-lock.ts) and refuses
 * while a daemon holds it.
 */
export function registerTemplateStoreCommands(templates: Command): void {
  templates
    .command('list')
    .description('templates learned per source, from the store')
    .option('--source <id>', 'only this source')
    .option('--json', 'print JSON')
    .action(async (opts: { source?: string; json?: boolean }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const models = await loadModels(store);
        const rows = models
          .sources()
          .filter((s) => opts.source === undefined || s === opts.source)
          .flatMap((source) => models.templates(source).map((t) => ({ source, ...t })));
        if (opts.json) return printJson(rows);
        if (rows.length === 0) {
          process.stdout.write('no templates learned (is `templates.enabled: true` set and has the daemon run?)\n');
          return;
        }
        printTable(
          ['source', 'id', 'count', 'template'],
          rows.map((r) => [
            r.source,
            r.id,
            r.count,
            r.template.length > 100 ? `${r.template.slice(0, 99)}…` : r.template,
          ]),
        );
      } finally {
        await store.close();
      }
    });
  templates
    .command('reset')
    .description('forget the learned templates and baselines of one source (or all); refused while the daemon runs')
    .option('--source <id>', 'only this source')
    .action(async (opts: { source?: string }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      let lock: InstanceLock | undefined;
      let store: Store;
      try {
        if (!runtime.storeUrl) lock = acquireInstanceLock(runtime.storeDir);
        store = await openRuntimeStoreOf(runtime);
      } catch (err) {
        lock?.release();
        fail(err instanceof Error ? err.message : String(err), 2);
        return;
      }
      try {
        const models = await loadModels(store);
        models.reset(opts.source);
        const state = [{ key: detectorStateKey(TEMPLATES_DETECTOR), value: models.snapshot() }];
        const novelty = await store.loadState(detectorStateKey(NOVELTY_DETECTOR));
        if (novelty !== undefined)
          state.push({ key: detectorStateKey(NOVELTY_DETECTOR), value: resetNovelty(novelty, opts.source) });
        await store.commit({
          state,
          audit: [
            {
              kind: 'operator',
              action: 'templates.reset',
              subject: opts.source ?? '*',
              actor: `cli:${os.userInfo().username}`,
              at: systemClock.now(),
              data: { source: opts.source ?? null },
            },
          ],
        });
        process.stdout.write(
          `reset templates and baselines of ${opts.source ? `source ${opts.source}` : 'every source'}\n`,
        );
      } finally {
        await store.close();
        lock?.release();
      }
    });
}

async function loadModels(store: Store): Promise<TemplateModels> {
  // Settings only matter for mining; listing and resetting keep every saved model as is.
  const models = new TemplateModels({ maxTemplates: Number.MAX_SAFE_INTEGER });
  const raw = await store.loadState(detectorStateKey(TEMPLATES_DETECTOR));
  if (raw !== undefined) models.restoreAll(raw);
  return models;
}

function resetNovelty(text: string, source: string | undefined): string {
  const parsed = JSON.parse(text) as { v: number; sources: [string, unknown][] };
  parsed.sources = source === undefined ? [] : parsed.sources.filter(([k]) => k !== source);
  return JSON.stringify(parsed);
}
