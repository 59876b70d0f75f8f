import { z } from 'zod';
import { apiSchema } from './api.js';
import { decisionsSchema } from './decisions.js';
import { fleetSchema } from './fleet.js';
import { fail2banSchema } from './fail2ban.js';
import { intelSchema } from './intel.js';
import { learningSchema } from './learning.js';
import { exportsSchema } from './exports.js';
import { logSchema } from './log.js';
import { policySchema } from './policy.js';
import { protectSchema } from './protect.js';
import { respondersSchema } from './responders.js';
import { scenariosSchema } from './scenarios.js';
import { sigmaSchema } from './sigma.js';
import { BUILTIN_FORMATS, createSourcesSchema } from './sources.js';
import { storeSchema } from './store.js';
import { templatesSchema } from './templates.js';

function build(formats: readonly string[]) {
  return z
    .strictObject({
      sources: createSourcesSchema(formats).optional(),
      policy: policySchema,
      store: storeSchema,
      scenarios: scenariosSchema,
      decisions: decisionsSchema,
      responders: respondersSchema,
      log: logSchema,
      sigma: sigmaSchema,
      fail2ban: fail2banSchema,
      intel: intelSchema,
      templates: templatesSchema,
      learning: learningSchema,
      protect: protectSchema,
      api: apiSchema,
      exports: exportsSchema,
      fleet: fleetSchema,
    })
    .meta({ title: 'Leuko configuration', description: 'One YAML file configures Leuko; every section is optional.' });
}

export type ConfigSchema = ReturnType<typeof build>;
/** The schema's output: validated and defaulted, before paths and ids are resolved. */
export type ParsedConfig = z.output<ConfigSchema>;

const cache = new Map<string, ConfigSchema>();

/** `auto` is always accepted: it means "detect per line", not a parser. */
export function normalizeFormats(knownFormats: readonly string[] | undefined): readonly string[] {
  const list = knownFormats ?? BUILTIN_FORMATS;
  return ['auto', ...[...new Set(list)].filter((f) => f !== 'auto').sort()];
}

/** The config schema for a set of parser names (cached: built once per distinct list). */
export function configSchema(knownFormats?: readonly string[]): ConfigSchema {
  const formats = normalizeFormats(knownFormats);
  const key = formats.join('\n');
  let schema = cache.get(key);
  if (!schema) {
    schema = build(formats);
    cache.set(key, schema);
  }
  return schema;
}
