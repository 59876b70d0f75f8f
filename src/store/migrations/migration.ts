import type { SqlDialect } from '../dialect.js';

/**
 * One schema step. Versions are consecutive integers starting at 1; a migration, once
 * released, is never edited (databases in the field already recorded it as applied).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements to run, in order, inside the migration transaction. */
  up(dialect: SqlDialect): readonly string[];
}
