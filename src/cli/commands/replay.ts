import { statSync } from 'node:fs';
import type cliProgressType from 'cli-progress';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import type { Detection } from '../../core/detection.js';
import { createIdGenerator } from '../../core/ids.js';
import { buildExtensions } from '../../pipeline/extensions.js';
import { detectorStateKey } from '../../pipeline/processor.js';
import { replayFiles } from '../../pipeline/replay.js';
import { createEphemeralStore, openSqliteStore } from '../../store/index.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { iso, lazyRequire, printJson, printTable } from '../output.js';

/**
 * `leuko replay FILE...`: the full pipeline over finished logs on event time. By default the
 * results live in memory only (see createEphemeralStore), so a replay never touches the
 * daemon's decisions and stays small; `--store DIR` keeps everything, audit log included.
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('run the whole pipeline over log files on their own timestamps')
    .argument('<files...>', 'log files to replay, in order (- reads standard input)')
    .option('-f, --format <name>', 'parser to use (default: recognize each line)', 'auto')
    .option('--json', 'print one JSON object with counts, alerts and decisions')
    .option('--store <dir>', 'keep the results in this store directory instead of memory')
    .action(async (files: string[], opts: { format: string; json?: boolean; store?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as RuntimeOptions;
      const runtime = loadRuntime(globals);
      if (!runtime) return;
      // The program's global --store takes the option when both define it (commander), so read
      // either: `leuko replay --store DIR` must keep its results in DIR.
      const storeDir = opts.store ?? globals.store;
      const store = storeDir ? openSqliteStore({ dir: storeDir }) : createEphemeralStore();
      await store.migrate();
      const bar = makeProgressBar(files, opts.json === true);
      try {
        const ids = createIdGenerator();
        const extensions = buildExtensions({
          config: runtime.config,
          baseDir: runtime.baseDir,
          clock: systemClock,
          ids,
          ...(storeDir ? { storeDir } : {}),
        });
        // Only what the report prints is kept of each detection (see replayFiles' onDetection).
        const found: ReportedDetection[] = [];
        const result = await replayFiles({
          onDetection: (d) =>
            found.push({
              scenario: d.scenario,
              entity: d.entity,
              count: d.count,
              time: d.time,
              techniques: d.techniques,
              explanation: d.explanation,
            }),
          paths: files,
          format: opts.format,
          settings: runtime.settings,
          store,
          clock: systemClock,
          ids,
          extensions,
          ...(bar ? { onProgress: (_lines: number, bytes: number) => bar.update(bytes) } : {}),
        });
        bar?.stop();
        // A replay into a store leaves the detectors' learned state there (anomaly baselines),
        // so `leuko run` on that store starts from what the old logs taught.
        if (storeDir) {
          const state = (extensions.detectors ?? []).flatMap((d) =>
            d.snapshot ? [{ key: detectorStateKey(d.name), value: d.snapshot() }] : [],
          );
          if (state.length > 0) await store.commit({ state });
        }
        const alerts = found.map((d) => ({
          scenario: d.scenario,
          entity: d.entity,
          count: d.count,
          time: new Date(d.time).toISOString(),
          techniques: d.techniques,
          explanation: d.explanation,
        }));
        const decisions = result.decisions.map((d) => ({
          scope: d.scope,
          value: d.value,
          action: d.action,
          duration_s: d.durationS,
          scenario: d.scenario ?? null,
          origin: d.origin,
          offence: d.offence,
          created_at: new Date(d.createdAt).toISOString(),
          reason: d.reason,
        }));
        const s = result.stats;
        if (opts.json) {
          printJson({
            lines: s.lines,
            events: s.events,
            unparsed: s.unparsed,
            untrusted_record_lines: s.untrustedRecordLines,
            skipped_too_long: result.files.reduce((n, f) => n + f.linesTooLong, 0),
            invalid_utf8: result.files.reduce((n, f) => n + f.invalidUtf8, 0),
            suppressed_by_allowlist: s.suppressedByAllowlist,
            incidents: s.incidents,
            alerts,
            decisions,
          });
          return;
        }
        process.stdout.write(
          `${s.lines} lines, ${s.events} events, ${s.unparsed} unparsed; ${alerts.length} alerts, ${decisions.length} decisions\n`,
        );
        printTable(
          ['time', 'scenario', 'entity', 'count', 'explanation'],
          found.map((d) => [iso(d.time), d.scenario, `${d.entity.type}:${d.entity.value}`, d.count, d.explanation]),
        );
        printTable(
          ['action', 'target', 'duration', 'scenario'],
          result.decisions.map((d) => [d.action, `${d.scope}:${d.value}`, `${d.durationS}s`, d.scenario ?? '-']),
        );
      } finally {
        bar?.stop();
        await store.close();
      }
    });
}

/** The fields of a detection that `leuko replay` reports. */
type ReportedDetection = Pick<Detection, 'scenario' | 'entity' | 'count' | 'time' | 'techniques' | 'explanation'>;

function makeProgressBar(files: readonly string[], quiet: boolean): cliProgressType.SingleBar | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let total = 0;
  for (const f of files) {
    try {
      total += statSync(f).size;
    } catch {
      // A missing file is reported by the source itself.
    }
  }
  const cliProgress = lazyRequire('cli-progress') as typeof cliProgressType;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'replay [{bar}] {percentage}% | {value}/{total} bytes | eta {eta}s',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}
