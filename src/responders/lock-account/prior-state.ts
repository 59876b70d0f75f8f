import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How an account was before Leuko first locked it, so rollback restores exactly that. */
export interface PriorState {
  /** The password was already locked by someone else: rollback must leave it locked. */
  readonly passwordLocked: boolean;
  /** The expiry day before (-1 = never), restored by rollback instead of clearing it. */
  readonly expireDays: number;
}

export interface PriorStore {
  get(user: string): PriorState | undefined;
  /** Keeps the first record: a second apply must not overwrite the original state with the locked one. */
  remember(user: string, state: PriorState): void;
  forget(user: string): void;
}

/**
 * Prior account states, in memory or in one JSON file (written atomically via rename), so a
 * rollback after a restart does not unlock an account an administrator had locked on purpose.
 */
export function createPriorStore(file?: string): PriorStore {
  const mem = new Map<string, PriorState>();
  if (file) {
    try {
      const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (data && typeof data === 'object') {
        for (const [user, v] of Object.entries(data as Record<string, unknown>)) {
          const s = v as Partial<PriorState>;
          if (typeof s.passwordLocked === 'boolean' && typeof s.expireDays === 'number') {
            mem.set(user, { passwordLocked: s.passwordLocked, expireDays: s.expireDays });
          }
        }
      }
    } catch {
      // No file yet, or unreadable: start empty (rollback then falls back to unlock + no expiry).
    }
  }
  const save = () => {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(mem), null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    get: (user) => mem.get(user),
    remember(user, state) {
      if (mem.has(user)) return;
      mem.set(user, state);
      save();
    },
    forget(user) {
      if (mem.delete(user)) save();
    },
  };
}
