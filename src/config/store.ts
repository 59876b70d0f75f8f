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
  })
  .prefault({});
