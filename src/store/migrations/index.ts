import { initial } from './001-initial.js';
import { approvals } from './002-approvals.js';
import { learning } from './020-learning.js';
import { api } from './030-api.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in version order. Append new ones; never edit or reorder released ones. */
export const MIGRATIONS: readonly Migration[] = [initial, approvals, learning, api];

/** The schema version this code writes and expects. */
export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;
