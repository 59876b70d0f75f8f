import { z } from 'zod';
import { nonEmpty } from './fields.js';

/** Where the store lives when the config names none; the store helper decides fallbacks. */
export const DEFAULT_STORE_PATH = '/var/lib/leuko';

export const storeSchema = z
  .strictObject({
    path: nonEmpty(
      `Directory for the database and audit log (default ${DEFAULT_STORE_PATH})`,
      '/var/lib/leuko',
    ).optional(),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, {
        message:
          'store.url must be a PostgreSQL URL such as postgres://leuko@127.0.0.1/leuko (or remove it for SQLite)',
      })
      .optional()
      .meta({
        description:
          'Read a PostgreSQL store (a hive\u2019s) instead of the SQLite one in `path`: `leuko incidents`, `decisions`, `audit`, `tokens`',
        examples: ['postgres://leuko@127.0.0.1/leuko'],
      }),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'store.schema must be a plain lower-case SQL name, e.g. leuko' })
      .optional()
      .meta({ description: 'PostgreSQL schema of `url` (default: fleet.hive.schema, else leuko)' }),
  })
  .prefault({});
