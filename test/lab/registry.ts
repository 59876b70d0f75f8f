import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Who owns which lab. Written when a lab is created so that `cleanupStaleLabs` removes only
 * the leftovers of crashed runs and never a lab another test worker is using right now.
 */
export interface LabRecord {
  readonly id: string;
  readonly ownerPid: number;
  /** Start time of the owner (from /proc), so a recycled pid does not look like the owner. */
  readonly ownerStart: string;
  readonly namespaces: readonly string[];
  readonly dir: string;
  /** Local accounts created for the lab, removed with it. */
  users: string[];
}

export const REGISTRY_DIR = path.join(tmpdir(), 'leuko-lab-registry');

function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) counted after the ")" that closes the command name.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function selfStart(): string {
  return procStart(process.pid) ?? '';
}

export function isOwnerAlive(rec: LabRecord): boolean {
  return procStart(rec.ownerPid) === rec.ownerStart;
}

export function writeRecord(rec: LabRecord): void {
  mkdirSync(REGISTRY_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(REGISTRY_DIR, `${rec.id}.json`), JSON.stringify(rec));
}

export function removeRecord(id: string): void {
  rmSync(path.join(REGISTRY_DIR, `${id}.json`), { force: true });
}

export function readRecords(): LabRecord[] {
  let names: string[];
  try {
    names = readdirSync(REGISTRY_DIR);
  } catch {
    return [];
  }
  const out: LabRecord[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      out.push(JSON.parse(readFileSync(path.join(REGISTRY_DIR, n), 'utf8')) as LabRecord);
    } catch {
      // torn write from a crash: treat as absent (its namespaces are still found by name)
    }
  }
  return out;
}
