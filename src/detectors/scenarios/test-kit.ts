import type { Detection } from '../../core/detection.js';
import type { EcsEvent, Observation } from '../../core/event.js';
import { parseScenarioText } from './load.js';
import type { Scenario } from './types.js';

/** Test helpers: inline scenarios and hand-built observations. Not used by production code. */
export function scenariosFrom(yaml: string): Scenario[] {
  const { scenarios, issues } = parseScenarioText(yaml, '/test/inline.yaml', []);
  if (issues.length > 0) throw new Error(issues.map((i) => `${i.line} ${i.key}: ${i.message}`).join('\n'));
  return scenarios;
}

export function obs(timeMs: number, fields: Record<string, unknown>, sourceId = 'test'): Observation {
  const event = {
    '@timestamp': new Date(timeMs).toISOString(),
    message: `line at ${timeMs}`,
    'event.kind': 'event',
    ...fields,
  } as EcsEvent;
  return { time: timeMs, event, sourceId };
}

/** A detection without its id, for comparing two runs. */
export function strip(d: Detection): Omit<Detection, 'id'> {
  const { id: _id, ...rest } = d;
  return rest;
}
