import type { Detection } from '../core/detection.js';
import type { Detector, EventEnricher } from '../core/detector.js';
import type { EcsEvent } from '../core/event.js';
import type { PipelineStats } from './pipeline-stats.js';

/**
 * Lines no parser recognized still carry information (a template id, a novelty signal). The
 * extensions that ask for them (`acceptsUnparsed`) see each one as a minimal event
 * `{event.kind: event, event.dataset: unparsed, message}` at the latest event time seen (the
 * line has no parsed time of its own). The scenario engine and every other extension never see
 * them, so existing results do not change. `undefined` when no extension asks: zero cost.
 */
export function createUnparsedHandler(
  enrichers: readonly EventEnricher[],
  detectors: readonly Detector[],
  stats: PipelineStats,
  now: () => number,
): ((line: string, sourceId: string) => readonly Detection[]) | undefined {
  const en = enrichers.filter((e) => e.acceptsUnparsed === true);
  const de = detectors.filter((d) => d.acceptsUnparsed === true);
  if (en.length === 0 && de.length === 0) return undefined;
  return (line, sourceId) => {
    const time = stats.lastEventTime > 0 ? stats.lastEventTime : now();
    const event: EcsEvent = {
      '@timestamp': new Date(time).toISOString(),
      message: line,
      'event.kind': 'event',
      'event.dataset': 'unparsed',
    };
    const obs = { time, event, sourceId };
    for (const e of en) {
      try {
        e.enrich(obs);
      } catch {
        stats.enricherErrors++;
      }
    }
    let found: Detection[] = [];
    for (const d of de) {
      try {
        const more = d.process(obs);
        if (more.length > 0) found = [...found, ...more];
      } catch {
        stats.detectorErrors++;
      }
    }
    return found;
  };
}
