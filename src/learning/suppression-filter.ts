import type { DetectionFilter } from '../core/detector.js';
import { type Suppression, suppressionMatches } from './types.js';

/** The active suppressions as a pipeline filter (see processor.ts handleDetections). */
export function createSuppressionFilter(): DetectionFilter & {
  load(list: readonly Suppression[]): void;
  readonly size: number;
} {
  let byScenario = new Map<string, Suppression[]>();
  let size = 0;
  return {
    name: 'suppressions',
    get size() {
      return size;
    },
    load(list) {
      byScenario = new Map();
      size = 0;
      for (const s of list) {
        if (s.status !== 'active') continue;
        const l = byScenario.get(s.scenario) ?? [];
        l.push(s);
        byScenario.set(s.scenario, l);
        size++;
      }
    },
    suppressedBy(d) {
      const list = byScenario.get(d.scenario);
      if (!list) return undefined;
      for (const s of list) if (suppressionMatches(s, d.scenario, d.entity)) return s.id;
      return undefined;
    },
  };
}
