import type { ParserDefinition } from '../core/parser.js';

/** Identity helper that types a parser plugin (the registry is built from these). */
export function defineParser<const T extends ParserDefinition>(def: T): T {
  return def;
}
