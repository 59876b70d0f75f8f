import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from './atomic-write.js';

/** An approved change window: changes made inside it are accepted into the baseline, never reverted. */
export interface MaintenanceWindow {
  readonly start: number;
  readonly end: number;
  readonly by: string;
  readonly reason?: string;
}

const KEEP_MS = 30 * 24 * 3600_000;

export function maintenancePath(healDir: string): string {
  return path.join(healDir, 'maintenance.json');
}

/** Windows recorded by `leuko maintenance start` (read fresh: the CLI writes, the daemon reads). */
export function readWindows(healDir: string): MaintenanceWindow[] {
  try {
    const parsed = JSON.parse(readFileSync(maintenancePath(healDir), 'utf8')) as { windows?: MaintenanceWindow[] };
    return Array.isArray(parsed.windows) ? parsed.windows : [];
  } catch {
    return [];
  }
}

export async function writeWindows(healDir: string, windows: readonly MaintenanceWindow[], now: number): Promise<void> {
  await fs.mkdir(healDir, { recursive: true });
  const kept = windows.filter((w) => w.end > now - KEEP_MS);
  await atomicWriteFile(maintenancePath(healDir), Buffer.from(JSON.stringify({ windows: kept })), { mode: 0o600 });
}

export function activeWindow(windows: readonly MaintenanceWindow[], at: number): MaintenanceWindow | undefined {
  return windows.find((w) => w.start <= at && at < w.end);
}

/**
 * Whether a change whose inode changed at `ctimeMs` was made inside a window. ctime cannot be
 * set back by a user process (unlike mtime), so a change made after a window cannot pass for
 * one made during it; this is how changes made while Leuko was down are judged at start-up.
 */
export function changedInWindow(windows: readonly MaintenanceWindow[], ctimeMs: number): MaintenanceWindow | undefined {
  return windows.find((w) => w.start <= ctimeMs && ctimeMs < w.end);
}
