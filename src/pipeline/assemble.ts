import type { Clock } from '../core/clock.js';
import { LeukoError } from '../core/errors.js';
import type { DetectionFilter, Detector, EventEnricher } from '../core/detector.js';
import type { IdGenerator } from '../core/ids.js';
import type { LineParser, ParserDefinition } from '../core/parser.js';
import type { Store } from '../core/store.js';
import { createDecisionMaker } from '../decisions/decision-maker.js';
import {
  builtinScenarioDir,
  createScenarioEngine,
  loadScenarios,
  type Scenario,
  type ScenarioEngine,
} from '../detectors/scenarios/index.js';
import { createIncidentManager } from '../incidents/incident-manager.js';
import { createParser } from '../parsers/index.js';
import { createAllowlist } from '../policy/allowlist.js';
import { createBatchClock } from './batch-clock.js';
import { applyScenarioOverrides } from './scenario-overrides.js';
import { createProcessor, type Processor, type ProcessorListener } from './processor.js';
import type { PipelineStats } from './pipeline-stats.js';
import type { PipelineSettings } from './settings.js';

export interface AssembledPipeline {
  readonly processor: Processor;
  readonly engine: ScenarioEngine;
  readonly scenarios: readonly Scenario[];
  readonly detectors: readonly Detector[];
}

/**
 * What extends the pipeline beyond parsers and scenarios: enrichers (run in order on every
 * event) and detectors. Each feature that adds one registers a factory here through
 * `PipelineExtensions`, built from the resolved settings, so replay and run get the same set.
 */
export interface PipelineExtensions {
  readonly enrichers?: readonly EventEnricher[];
  readonly detectors?: readonly Detector[];
  /** Formats defined by the config (e.g. `fail2ban:<jail>`), beside the parser registry. */
  readonly parsers?: ReadonlyMap<string, ParserDefinition>;
  /** Scenarios built from the config (e.g. fail2ban jails), added to the loaded ones. */
  readonly scenarios?: readonly Scenario[];
  /** Checked on every detection before incidents and decisions (accepted suppressions). */
  readonly filters?: readonly DetectionFilter[];
  /**
   * Releases what the extensions opened (the learning tables' database handle). The daemon calls
   * it once the pipeline that used them is replaced (config reload, rebuild after a failure) or
   * stopped; without it every reload leaked one SQLite handle.
   */
  readonly close?: () => void;
}

/** Load the built-in scenarios plus the configured folders, minus the disabled ones. */
export function loadConfiguredScenarios(settings: PipelineSettings['scenarios']): Scenario[] {
  const dirs = settings.builtin ? [builtinScenarioDir(), ...settings.dirs] : [...settings.dirs];
  const { scenarios, issues } = loadScenarios(dirs);
  const errors = issues.filter((i) => (i as { severity?: string }).severity !== 'warning');
  if (errors.length > 0) {
    const text = errors.map(
      (i) => `${i.file}${i.line ? `:${i.line}` : ''} ${i.key}: ${i.message}${i.hint ? ` — hint: ${i.hint}` : ''}`,
    );
    throw new LeukoError('RULE_INVALID', `invalid scenarios:\n${text.join('\n')}`);
  }
  const disabled = new Set(settings.disable);
  return applyScenarioOverrides(
    scenarios.filter((s) => !disabled.has(s.name)),
    settings.overrides,
  ).scenarios;
}

/**
 * Wire parsers, scenario engine, incidents, decisions and the store into one processor.
 * `formatFor` names the parser per source (config `format:`, `--format`, or `auto`).
 */
export function assemblePipeline(deps: {
  settings: PipelineSettings;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  formatFor(sourceId: string): string;
  hostName?: string;
  persistEngineState: boolean;
  listener?: ProcessorListener;
  scenarios?: readonly Scenario[];
  initialStats?: PipelineStats;
  commitIntervalMs?: number;
  extensions?: PipelineExtensions;
  /** Parser states committed with each source's checkpoint (`parserStateKey`), by source id. */
  parserStates?: ReadonlyMap<string, string>;
  /** See the processor's `dedupAcrossSources` and `dedupState`. */
  dedupAcrossSources?: boolean;
  dedupState?: string;
}): AssembledPipeline {
  const detectors = deps.extensions?.detectors ?? [];
  const scenarios = [
    ...(deps.scenarios ?? loadConfiguredScenarios(deps.settings.scenarios)),
    ...(deps.extensions?.scenarios ?? []),
  ];
  const engine = createScenarioEngine(scenarios, { ids: deps.ids });
  const parsers = new Map<string, LineParser>();
  // The parsers read the clock once per batch (see batch-clock.ts): parserFor is asked once at
  // the start of every batch, so that is where it moves on.
  const parseClock = createBatchClock(deps.clock);
  const processor = createProcessor({
    parserFor(sourceId, path) {
      parseClock.refresh();
      let p = parsers.get(sourceId);
      if (!p) {
        p = createParser(
          deps.formatFor(sourceId),
          {
            clock: parseClock,
            ...(path === undefined ? {} : { logPath: path }),
            ...(deps.hostName === undefined ? {} : { hostName: deps.hostName }),
          },
          deps.extensions?.parsers,
        );
        // The events it held at the checkpoint this source resumes from (see Processor).
        const saved = deps.parserStates?.get(sourceId);
        if (saved) p.restore?.(saved);
        parsers.set(sourceId, p);
      }
      return p;
    },
    engine,
    enrichers: deps.extensions?.enrichers ?? [],
    detectors,
    filters: deps.extensions?.filters ?? [],
    incidents: createIncidentManager({
      store: deps.store,
      ids: deps.ids,
      clock: deps.clock,
      windowMs: deps.settings.incidentWindowMs,
    }),
    decisions: createDecisionMaker({
      store: deps.store,
      ids: deps.ids,
      clock: deps.clock,
      allowlist: createAllowlist(deps.settings.allowlist),
      settings: deps.settings.decisions,
    }),
    store: deps.store,
    clock: deps.clock,
    persistEngineState: deps.persistEngineState,
    ...(deps.initialStats ? { initialStats: deps.initialStats } : {}),
    ...(deps.commitIntervalMs === undefined ? {} : { commitIntervalMs: deps.commitIntervalMs }),
    ...(deps.listener ? { listener: deps.listener } : {}),
    ...(deps.dedupAcrossSources === true ? { dedupAcrossSources: true } : {}),
    ...(deps.dedupState === undefined ? {} : { dedupState: deps.dedupState }),
  });
  return { processor, engine, scenarios, detectors };
}
