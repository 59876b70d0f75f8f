import type { LeukoConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { DetectionFilter, Detector, EventEnricher } from '../core/detector.js';
import { sigmaExtension } from '../detectors/sigma/extension.js';
import type { IdGenerator } from '../core/ids.js';
import type { ParserDefinition } from '../core/parser.js';
import { fail2banExtension } from '../detectors/fail2ban/extension.js';
import type { Scenario } from '../detectors/scenarios/types.js';
import { intelExtension } from '../detectors/intel/extension.js';
import { webAttacksExtension } from '../detectors/web-attacks/extension.js';
import { templatesExtension } from '../detectors/templates/extension.js';
import { LEARNING_EXTENSION } from '../learning/extension.js';
import type { PipelineExtensions } from './assemble.js';

/** What an extension factory may use; no I/O beyond reading the files its config names. */
export interface ExtensionContext {
  readonly config: LeukoConfig;
  /** Directory relative config paths resolve against. */
  readonly baseDir: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The store directory when the pipeline writes a durable store (learned suppressions, memory). */
  readonly storeDir?: string;
}

/**
 * One feature's contribution to the pipeline (web-attack tagging, intel, Sigma, templates,
 * anomaly models, ...). Factories run in the order of `EXTENSION_FACTORIES`; enrichers run in
 * that order on every event, so a later one sees an earlier one's fields.
 */
export interface ExtensionFactory {
  readonly name: string;
  create(ctx: ExtensionContext): PipelineExtensions;
}

/**
 * The registry: each feature adds one entry. Order matters for enrichers (classification
 * before intel before templates before models that read their fields).
 */
export const EXTENSION_FACTORIES: readonly ExtensionFactory[] = [
  webAttacksExtension,
  intelExtension,
  templatesExtension,
  sigmaExtension,
  fail2banExtension,
  LEARNING_EXTENSION,
];

/** Build every registered extension for one pipeline (run builds a fresh set per rebuild). */
export function buildExtensions(
  ctx: ExtensionContext,
  factories: readonly ExtensionFactory[] = EXTENSION_FACTORIES,
): PipelineExtensions {
  const enrichers: EventEnricher[] = [];
  const detectors: Detector[] = [];
  const parsers = new Map<string, ParserDefinition>();
  const scenarios: Scenario[] = [];
  const filters: DetectionFilter[] = [];
  const closers: (() => void)[] = [];
  for (const f of factories) {
    const made = f.create(ctx);
    if (made.close) closers.push(made.close);
    if (made.enrichers) enrichers.push(...made.enrichers);
    if (made.detectors) detectors.push(...made.detectors);
    for (const [k, v] of made.parsers ?? []) parsers.set(k, v);
    if (made.scenarios) scenarios.push(...made.scenarios);
    if (made.filters) filters.push(...made.filters);
  }
  const close = (): void => {
    for (const c of closers.splice(0)) c();
  };
  return { enrichers, detectors, parsers, scenarios, filters, close };
}
