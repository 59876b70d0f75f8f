import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Detection } from '../core/detection.js';
import type { DetectionFilter, Detector, EventEnricher } from '../core/detector.js';
import type { Incident } from '../core/incident.js';
import type { LineParser, RecordGate } from '../core/parser.js';
import type { Observation, ParsedLine } from '../core/event.js';
import type { LineBatch } from '../core/source.js';
import type { Store } from '../core/store.js';
import type { DecisionMaker } from '../decisions/decision-maker.js';
import type { ScenarioEngine } from '../detectors/scenarios/index.js';
import type { IncidentManager } from '../incidents/incident-manager.js';
import { createCrossSourceDedup } from './cross-source-dedup.js';
import { applyHeapPolicy } from './heap-policy.js';
import { emptyPipelineStats, type PipelineStats } from './pipeline-stats.js';
import { createUnparsedHandler } from './unparsed.js';

/** The key under which the scenario engine's buckets are persisted with each commit. */
export const ENGINE_STATE_KEY = 'scenario-engine';
/**
 * A snapshot commit waits this many times the previous one's cost (ms) before the next, on
 * top of `commitIntervalMs`. The engine snapshot grows with the live buckets (47 MB after a
 * 10 000-source ssh flood): written every second, it cost more than the flood itself and more
 * with every new source, so decisions slowed from ~900/s to ~100/s. Spaced by ten times its
 * cost it takes at most ~10% of the time; a crash re-reads correspondingly more lines, on top
 * of the matching snapshot, so nothing is lost or counted twice.
 */
export const SNAPSHOT_COST_FACTOR = 10;
/** The key of the cross-source duplicate table's recent lines, committed with the checkpoints. */
export const DEDUP_STATE_KEY = 'cross-source-dedup';
/** The key of the cumulative pipeline counters, committed with the checkpoints they count. */
export const COUNTERS_STATE_KEY = 'pipeline-counters';
/** The key under which a source's parser state is persisted with its checkpoint: `parser:<source id>`. */
export function parserStateKey(sourceId: string): string {
  return `parser:${sourceId}`;
}
/** The key under which a detector's snapshot is persisted: `detector:<name>`. */
export function detectorStateKey(name: string): string {
  return `detector:${name}`;
}

export interface ProcessorListener {
  onDetection?(detection: Detection, incident: Incident): void;
  onDecision?(decision: Decision): void;
  /** Decisions that are now durable (their batch committed): safe to act on. */
  onCommitted?(decisions: readonly Decision[]): void;
}

export interface Processor {
  readonly stats: PipelineStats;
  /** Parse, detect, decide and durably commit one batch (results and checkpoint together). */
  processBatch(batch: LineBatch): Promise<void>;
  /** Advance event time with no new line (closes windows), committing what that produces. */
  tick(time: number): Promise<void>;
  /** Commit checkpoints still held back by `commitIntervalMs`. */
  flush(): Promise<void>;
  /**
   * A source's input ended (a replayed file): the events its parser still holds (auditd's
   * last event) go through detection and are committed.
   */
  endOfInput(sourceId: string, path: string | undefined): Promise<void>;
}

/**
 * One pipeline step per batch: every line goes parser → scenario engine; detections go to
 * incident grouping and decisions; then everything, the audit records, the engine state and
 * the source checkpoint go to the store in ONE transaction. A crash before the commit re-reads
 * the batch with the engine state of the previous commit; after it, nothing is redone: no
 * line is lost or counted twice, no decision lost or duplicated.
 */
export function createProcessor(deps: {
  parserFor(sourceId: string, path: string | undefined): LineParser;
  engine: ScenarioEngine;
  /** Run in order on every event before detection; each may add fields. */
  enrichers?: readonly EventEnricher[];
  /** Detectors beside the scenario engine; see core/detector.ts. */
  detectors?: readonly Detector[];
  /** Suppressions people accepted (src/learning); checked before incidents and decisions. */
  filters?: readonly DetectionFilter[];
  incidents: IncidentManager;
  decisions: DecisionMaker;
  store: Store;
  clock: Clock;
  /** Persist engine buckets with each commit (live runs); replays need not. */
  persistEngineState: boolean;
  listener?: ProcessorListener;
  /** Counters to continue from (restored after a restart, so totals survive kill -9). */
  initialStats?: PipelineStats;
  /**
   * Checkpoints, engine snapshot and counters are committed together at most this often (ms),
   * and further apart when the snapshot is costly (SNAPSHOT_COST_FACTOR); detections and
   * decisions are always committed at once. A crash re-reads exactly the lines
   * after the last checkpoint on top of the engine state that matches it. 0: every batch.
   */
  commitIntervalMs?: number;
  /**
   * Skip a line another source gave moments before (`leuko run` with several sources, where
   * one syslog record can be in two of the files followed). A replay reads files one after
   * the other and does not.
   */
  dedupAcrossSources?: boolean;
  /** The duplicate table's snapshot committed with the checkpoints this run resumes from. */
  dedupState?: string;
}): Processor {
  // The process that runs a pipeline (`leuko run`, `leuko replay`) keeps a compact heap.
  applyHeapPolicy();
  const commitIntervalMs = deps.commitIntervalMs ?? 0;
  const pending = new Map<string, string>();
  let lastCommitAt = Number.NEGATIVE_INFINITY;
  // What the last checkpoint commit took (ms): see SNAPSHOT_COST_FACTOR.
  let lastCommitCost = 0;
  const stats = { ...emptyPipelineStats(), ...deps.initialStats };
  const enrichers = deps.enrichers ?? [];
  const detectors = deps.detectors ?? [];
  // Unparsed lines reach only the extensions that ask for them (e.g. template ids); see unparsed.ts.
  const unparsed = createUnparsedHandler(enrichers, detectors, stats, () => deps.clock.now());
  const filters = deps.filters ?? [];
  const dedup = deps.dedupAcrossSources === true ? createCrossSourceDedup() : undefined;
  if (dedup !== undefined && deps.dedupState !== undefined) dedup.restore(deps.dedupState);
  /** The parser that read each source's last batch: its held events go with that checkpoint. */
  const parserOf = new Map<string, LineParser>();

  /**
   * The parser state of each checkpoint about to be committed ('' when it holds nothing, so an
   * older state is overwritten): the lines the checkpoint covers whose event the parser still
   * holds (auditd's open event) survive a restart through it.
   */
  function parserStates(checkpoints: readonly { sourceId: string }[]): { key: string; value: string }[] {
    const out: { key: string; value: string }[] = [];
    for (const { sourceId } of checkpoints) {
      const p = parserOf.get(sourceId);
      if (p?.snapshot) out.push({ key: parserStateKey(sourceId), value: p.snapshot() ?? '' });
    }
    return out;
  }

  /** Every detector's state, committed with the engine's (see `commit`). */
  function detectorStates(): { key: string; value: string }[] {
    const out: { key: string; value: string }[] = [];
    for (const d of detectors) if (d.snapshot) out.push({ key: detectorStateKey(d.name), value: d.snapshot() });
    return out;
  }

  /**
   * Enrich, then collect detections from the engine and every other detector, `times` times
   * when the line stands for several occurrences (syslog's `message repeated N times`): each
   * counts in buckets and models as the separate lines it replaced would have.
   */
  function detect(obs: Observation, times = 1): Detection[] {
    for (const e of enrichers) {
      try {
        e.enrich(obs);
      } catch {
        // An enricher's bug must not stop detection: the event goes on without its fields.
        stats.enricherErrors++;
      }
    }
    let all = runDetectors(obs);
    for (let k = 1; k < times; k++) {
      const more = runDetectors(obs);
      if (more.length > 0) all = all.length === 0 ? more : [...all, ...more];
    }
    return all;
  }

  function runDetectors(obs: Observation): Detection[] {
    const found = deps.engine.process(obs);
    if (detectors.length === 0) return found;
    let all = found;
    for (const d of detectors) {
      let more: readonly Detection[];
      try {
        more = d.process(obs);
      } catch {
        stats.detectorErrors++;
        continue;
      }
      if (more.length > 0) all = all.length === 0 ? [...more] : [...all, ...more];
    }
    return all;
  }

  async function handleDetections(
    found: readonly Detection[],
    out: { detections: Detection[]; incidents: Map<string, Incident>; decisions: Decision[]; audit: AuditInput[] },
  ): Promise<void> {
    for (const d of found) {
      // Feedback: a suppression accepted after a false-positive verdict drops the detection here,
      // before it opens an incident or asks for a decision; counted, and never an error.
      if (filters.length > 0 && filters.some((f) => f.suppressedBy(d) !== undefined)) {
        stats.suppressedByFeedback++;
        continue;
      }
      stats.detections++;
      out.detections.push(d);
      out.audit.push({
        kind: 'detection',
        action: 'detection.raised',
        subject: d.id,
        actor: `${d.labels?.detector ?? 'scenario'}:${d.scenario}`,
        at: deps.clock.now(),
        data: {
          scenario: d.scenario,
          entity: d.entity,
          count: d.count,
          explanation: d.explanation,
          techniques: d.techniques,
        },
      });
      const incident = await deps.incidents.add(d, out.audit);
      if (!out.incidents.has(incident.id) && incident.detectionIds.length === 1) stats.incidents++;
      out.incidents.set(incident.id, incident);
      deps.listener?.onDetection?.(d, incident);
      const outcome = await deps.decisions.decide(d, incident.id, out.audit);
      if (outcome.kind === 'decided') {
        stats.decisions++;
        out.decisions.push(outcome.decision);
        deps.listener?.onDecision?.(outcome.decision);
      } else if (outcome.kind === 'allowlisted') {
        stats.suppressedByAllowlist++;
      }
    }
  }

  async function commit(
    out: { detections: Detection[]; incidents: Map<string, Incident>; decisions: Decision[]; audit: AuditInput[] },
    checkpoint: { sourceId: string; state: string } | undefined,
    force = false,
  ): Promise<void> {
    if (checkpoint) pending.set(checkpoint.sourceId, checkpoint.state);
    const urgent = out.detections.length > 0 || out.audit.length > 0;
    if (!urgent && pending.size === 0) return;
    const now = deps.clock.now();
    const due = force || now - lastCommitAt >= Math.max(commitIntervalMs, lastCommitCost * SNAPSHOT_COST_FACTOR);
    if (!urgent && !due) return;
    // Detections and decisions are made durable at once (enforcement waits on them). The
    // checkpoints, engine snapshot and counters go together, at most every commitIntervalMs:
    // the snapshot is the expensive part under a flood. A crash in between re-reads lines since
    // the last checkpoint on top of the matching snapshot, so lines and counters stay exact;
    // re-fired detections find their decision already live and make no second one.
    const checkpoints = due ? [...pending].map(([sourceId, state]) => ({ sourceId, state })) : [];
    await deps.store.commit({
      ...(checkpoints.length > 0 ? { checkpoints } : {}),
      detections: out.detections,
      incidents: [...out.incidents.values()],
      decisions: out.decisions,
      audit: out.audit,
      ...(deps.persistEngineState && due
        ? {
            state: [
              { key: ENGINE_STATE_KEY, value: deps.engine.snapshot() },
              { key: COUNTERS_STATE_KEY, value: JSON.stringify(stats) },
              ...detectorStates(),
              ...parserStates(checkpoints),
              // With the checkpoints: a copy counted before them is still known after a restart.
              ...(dedup === undefined ? [] : [{ key: DEDUP_STATE_KEY, value: dedup.snapshot() }]),
            ],
          }
        : {}),
    });
    if (due) {
      pending.clear();
      lastCommitAt = now;
      if (deps.persistEngineState) lastCommitCost = deps.clock.now() - now;
    }
    if (out.decisions.length > 0) deps.listener?.onCommitted?.(out.decisions);
  }

  /** Count a parsed event and run detection on it. */
  function observe(parsed: ParsedLine, sourceId: string): Detection[] {
    stats.events++;
    if (parsed.time > stats.lastEventTime) stats.lastEventTime = parsed.time;
    return detect({ time: parsed.time, event: parsed.event, sourceId }, parsed.repeat);
  }

  /** Detections of the line `scan` stopped after, for `processBatch` to handle. */
  let pendingFound: Detection[] | undefined;

  /**
   * A line's parse, counted; undefined when it is skipped (a copy another source gave, or a
   * parser bug).
   */
  function parseLine(parse: LineParser, line: string, sourceId: string): ParsedLine | null | undefined {
    stats.lines++;
    if (dedup?.duplicate(line, sourceId)) {
      stats.duplicates++;
      return undefined;
    }
    try {
      return parse(line);
    } catch {
      stats.parserErrors++;
      return undefined;
    }
  }

  /**
   * Detect on one line's parse (`null`: unrecognized, which only the extensions that ask for
   * unparsed lines see: template ids, novelty). True when it yields detections, left in
   * `pendingFound`.
   */
  function detectLine(line: string, parsed: ParsedLine | null, sourceId: string): boolean {
    if (parsed === null) {
      stats.unparsed++;
      const fromUnparsed = unparsed?.(line, sourceId);
      if (fromUnparsed === undefined || fromUnparsed.length === 0) return false;
      pendingFound = [...fromUnparsed];
      return true;
    }
    const found = observe(parsed, sourceId);
    if (found.length === 0) return false;
    pendingFound = found;
    return true;
  }

  /**
   * Parse and detect `lines` from `start` until a line yields detections (left in
   * `pendingFound`); returns the index after the last line done. Synchronous, so the per-line
   * loop is plain optimizable code; the async batch only steps in for the rare detections.
   */
  function scan(parse: LineParser, lines: readonly string[], start: number, sourceId: string): number {
    for (let i = start; i < lines.length; i++) {
      const parsed = parseLine(parse, lines[i]!, sourceId);
      if (parsed !== undefined && detectLine(lines[i]!, parsed, sourceId)) return i + 1;
    }
    return lines.length;
  }

  /**
   * Detect on the lines a record gate let go (see LineParser.records), in order, until one
   * yields detections (left in `pendingFound`): false then, true when the gate has none left.
   */
  function drainGate(gate: RecordGate, sourceId: string): boolean {
    for (let s = gate.next(); s !== undefined; s = gate.next()) {
      if (s.dropped) stats.untrustedRecordLines++;
      else if (detectLine(s.line, s.parsed, sourceId)) return false;
    }
    return true;
  }

  /**
   * `scan` for a parser with a record gate: each line goes through the gate, and detection
   * runs on what it lets go. Returns `start` when a line let go earlier yields detections.
   */
  function scanGated(parse: LineParser, gate: RecordGate, batch: LineBatch, start: number): number {
    const { lines, ends, sourceId } = batch;
    if (!drainGate(gate, sourceId)) return start;
    for (let i = start; i < lines.length; i++) {
      const parsed = parseLine(parse, lines[i]!, sourceId);
      if (parsed === undefined) continue;
      gate.admit(lines[i]!, parsed, ends?.[i]);
      if (!drainGate(gate, sourceId)) return i + 1;
    }
    return lines.length;
  }

  /** Detect on everything the gate lets go now, handling detections as they come. */
  async function flushGate(gate: RecordGate, sourceId: string, out: ReturnType<typeof emptyOut>): Promise<void> {
    while (!drainGate(gate, sourceId)) {
      const found = pendingFound!;
      pendingFound = undefined;
      await handleDetections(found, out);
    }
  }

  function emptyOut() {
    return {
      detections: [] as Detection[],
      incidents: new Map<string, Incident>(),
      decisions: [] as Decision[],
      audit: [] as AuditInput[],
    };
  }

  return {
    stats,
    async processBatch(batch) {
      const parse = deps.parserFor(batch.sourceId, batch.path);
      parserOf.set(batch.sourceId, parse);
      const out = emptyOut();
      const lines = batch.lines;
      const gate = parse.records;
      for (let i = 0; i < lines.length; ) {
        i = gate === undefined ? scan(parse, lines, i, batch.sourceId) : scanGated(parse, gate, batch, i);
        // Detections are rare; only then does the batch await (store look-ups for grouping),
        // before the next line is parsed.
        const found = pendingFound;
        if (found !== undefined) {
          pendingFound = undefined;
          await handleDetections(found, out);
        }
      }
      if (gate !== undefined) {
        // A line's detections may have stopped the scan with lines let go after it.
        await flushGate(gate, batch.sourceId, out);
        if (batch.atEnd === true) {
          gate.settle();
          await flushGate(gate, batch.sourceId, out);
        }
      }
      stats.batches++;
      await commit(
        out,
        batch.checkpoint === undefined ? undefined : { sourceId: batch.sourceId, state: batch.checkpoint },
      );
    },
    async tick(time) {
      let found = deps.engine.tick(time);
      for (const d of detectors) {
        const more = d.tick?.(time) ?? [];
        if (more.length > 0) found = [...found, ...more];
      }
      const out = emptyOut();
      if (found.length > 0) await handleDetections(found, out);
      await commit(out, undefined);
    },
    async flush() {
      await commit(emptyOut(), undefined, true);
    },
    async endOfInput(sourceId, path) {
      const parse = deps.parserFor(sourceId, path);
      const out = emptyOut();
      if (parse.records !== undefined) {
        parse.records.settle();
        await flushGate(parse.records, sourceId, out);
      }
      const held = parse.drain?.() ?? [];
      if (held.length === 0) {
        if (out.detections.length > 0 || out.audit.length > 0) await commit(out, undefined);
        return;
      }
      for (const parsed of held) {
        const found = observe(parsed, sourceId);
        if (found.length > 0) await handleDetections(found, out);
      }
      await commit(out, undefined);
    },
  };
}
