import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * JSON Schema (draft 2020-12) of the config file as written, for editors
 * (`# yaml-language-server: $schema=leuko.schema.json`). It describes the input side:
 * durations accept text or seconds, defaults are shown, unknown keys are rejected.
 */
export function configJsonSchema(opts: { knownFormats?: readonly string[] } = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema(opts.knownFormats), { io: 'input', target: 'draft-2020-12' });
  return { ...schema, $id: 'https://leuko.dev/schema/config.json' };
}
