import { z } from 'zod';
import { duration, nonEmpty } from './fields.js';
import { withHint } from './hint-registry.js';

const SCENARIO_ID_HINT = 'use a scenario id like `leuko/ssh-bf` (see `leuko rules list`)';

const scenarioId = withHint(
  z
    .string()
    .regex(/^[\w.-]+(\/[\w.-]+)*$/)
    .meta({ examples: ['leuko/ssh-bf'] }),
  SCENARIO_ID_HINT,
);

/** Per-scenario tuning; every key is optional and overrides the scenario's own value. */
export const scenarioOverrideSchema = z.strictObject({
  capacity: z.number().int().min(1).optional().meta({ description: 'Events the bucket holds before it overflows' }),
  leak_speed: duration('Time for one event to leak out of the bucket', { min: 0.001 }).optional(),
  blackhole: duration('After firing, ignore the same entity for this long', { min: 0 }).optional(),
  decision: z
    .strictObject({
      duration: duration('Base ban duration before escalation', { min: 1 }).optional(),
      scope: z.enum(['ip', 'range']).optional(),
      action: z.enum(['ban', 'captcha', 'notify']).optional(),
    })
    .optional(),
});

export const scenariosSchema = z
  .strictObject({
    builtin: z.boolean().default(true).meta({ description: 'Load the scenarios shipped with Leuko' }),
    dirs: z
      .array(nonEmpty('Extra directory of scenario files', '/etc/leuko/scenarios'))
      .default([])
      .meta({ description: 'Extra scenario directories (relative paths resolved from the config file)' }),
    disable: z.array(scenarioId).default([]).meta({ description: 'Scenario ids not to run' }),
    overrides: z
      .record(scenarioId, scenarioOverrideSchema)
      .default({})
      .meta({ description: 'Per-scenario tuning keyed by scenario id' }),
  })
  .prefault({});
