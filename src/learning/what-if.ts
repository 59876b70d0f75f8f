import type { LeukoConfig } from '../config/index.js';
import { createManualClock } from '../core/clock.js';
import type { Detection } from '../core/detection.js';
import type { DetectionFilter } from '../core/detector.js';
import { createSequentialIds } from '../core/ids.js';
import { assemblePipeline } from '../pipeline/assemble.js';
import { buildExtensions } from '../pipeline/extensions.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { createEphemeralStore } from '../store/index.js';
import { createSuppressionFilter } from './suppression-filter.js';
import type { RecentLine, Suppression } from './types.js';

/** One alert of a replay: what fired, about whom, when (event time). */
export interface ReplayAlert {
  readonly scenario: string;
  readonly entity: string;
  readonly time: number;
}

/** Alerts grouped by scenario and entity for the diff. */
export interface AlertGroup {
  readonly scenario: string;
  readonly entity: string;
  readonly alerts: number;
}

export interface WhatIfResult {
  readonly lines: number;
  readonly from?: number;
  readonly to?: number;
  readonly before: number;
  readonly after: number;
  /** Alerts the proposal would remove. */
  readonly lost: readonly AlertGroup[];
  /** Alerts that still fire with the proposal active. */
  readonly kept: readonly AlertGroup[];
}

const BATCH = 1000;

/**
 * Replay the stored recent lines twice, through the same scenarios, detectors and settings as
 * the pipeline, in memory: once with the suppressions already active, once with the proposal
 * added. The difference is what accepting the proposal would have changed: alerts lost and
 * alerts kept. Lines are parsed with `auto` (every shipped format is recognized per line).
 */
export async function replayWhatIf(opts: {
  lines: readonly RecentLine[];
  settings: PipelineSettings;
  config: LeukoConfig;
  baseDir: string;
  active: readonly Suppression[];
  proposal: readonly Suppression[];
}): Promise<WhatIfResult> {
  const before = await replayAlerts(opts, opts.active);
  const after = await replayAlerts(opts, [
    ...opts.active,
    ...opts.proposal.map((p) => ({ ...p, status: 'active' as const })),
  ]);
  const afterKeys = new Set(after.map(alertKey));
  const first = opts.lines[0];
  const last = opts.lines.at(-1);
  const lost = before.filter((a) => !afterKeys.has(alertKey(a)));
  return {
    lines: opts.lines.length,
    ...(first && last ? { from: first.time, to: last.time } : {}),
    before: before.length,
    after: after.length,
    lost: group(lost),
    kept: group(after),
  };
}

const alertKey = (a: ReplayAlert): string => `${a.scenario}\u0000${a.entity}\u0000${a.time}`;

function group(alerts: readonly ReplayAlert[]): AlertGroup[] {
  const m = new Map<string, { scenario: string; entity: string; alerts: number }>();
  for (const a of alerts) {
    const k = `${a.scenario}\u0000${a.entity}`;
    const g = m.get(k) ?? { scenario: a.scenario, entity: a.entity, alerts: 0 };
    g.alerts++;
    m.set(k, g);
  }
  return [...m.values()].sort((a, b) => b.alerts - a.alerts || a.scenario.localeCompare(b.scenario));
}

async function replayAlerts(
  opts: { lines: readonly RecentLine[]; settings: PipelineSettings; config: LeukoConfig; baseDir: string },
  suppressions: readonly Suppression[],
): Promise<ReplayAlert[]> {
  const clock = createManualClock(opts.lines[0]?.time ?? 0);
  const ids = createSequentialIds();
  // No storeDir: the what-if neither records lines nor consults immune memory; it only differs
  // from the real pipeline by the suppressions given here.
  const ext = buildExtensions({ config: opts.config, baseDir: opts.baseDir, clock, ids });
  const filter = createSuppressionFilter();
  filter.load(suppressions);
  const filters: DetectionFilter[] = [...(ext.filters ?? []), filter];
  const alerts: ReplayAlert[] = [];
  const { processor } = assemblePipeline({
    settings: opts.settings,
    store: createEphemeralStore(),
    clock,
    ids,
    formatFor: () => 'auto',
    persistEngineState: false,
    extensions: { ...ext, filters },
    listener: {
      onDetection: (d: Detection) =>
        alerts.push({ scenario: d.scenario, entity: `${d.entity.type}:${d.entity.value}`, time: d.time }),
    },
  });
  let batch: string[] = [];
  let source: string | undefined;
  const flush = async (): Promise<void> => {
    if (batch.length > 0 && source !== undefined) await processor.processBatch({ sourceId: source, lines: batch });
    batch = [];
  };
  for (const l of opts.lines) {
    if (l.sourceId !== source || batch.length >= BATCH) {
      await flush();
      source = l.sourceId;
    }
    batch.push(l.line);
  }
  await flush();
  await processor.tick(processor.stats.lastEventTime);
  return alerts;
}
