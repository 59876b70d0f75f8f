import path from 'node:path';
import type { ProtectConfig } from '../config/protect.js';
import { type Baseline, loadBaseline } from './baseline.js';
import { type BlobStore, createBlobStore } from './blob-store.js';
import { createQuarantine, type Quarantine } from './quarantine.js';
import { type DesiredState, desiredState } from './desired-state.js';

/** Everything healing keeps on disk, under `<store>/heal/`. */
export interface HealFiles {
  readonly dir: string;
  readonly state: DesiredState;
  readonly baseline: Baseline;
  readonly blobs: BlobStore;
  readonly quarantine: Quarantine;
  readonly maxFileSize: number;
}

export function healDir(storeDir: string): string {
  return path.join(storeDir, 'heal');
}

/** Open the baseline, snapshots and quarantine of a store directory for this config. */
export function openHealFiles(storeDir: string, config: ProtectConfig): HealFiles {
  const dir = healDir(storeDir);
  return {
    dir,
    state: desiredState(config),
    baseline: loadBaseline(dir),
    blobs: createBlobStore(path.join(dir, 'blobs'), config.max_snapshot_size),
    quarantine: createQuarantine(path.join(dir, 'quarantine')),
    maxFileSize: config.max_file_size,
  };
}
