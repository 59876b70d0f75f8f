import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

export interface DefaultStoreDirDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  /** Whether this process can write into `dir`, or create it. */
  readonly canUse?: (dir: string) => boolean;
}

export const SYSTEM_STORE_DIR = '/var/lib/leuko';

/**
 * Where the store lives when the config does not say: `/var/lib/leuko` when this process can
 * write there or create it (a root daemon), else `$XDG_STATE_HOME/leuko`, else
 * `~/.local/state/leuko` (trying Leuko as an ordinary user). A relative XDG_STATE_HOME is
 * ignored, as the XDG spec requires.
 *
 * @example
 * openSqliteStore({ dir: config.store.path ?? defaultStoreDir() })
 */
export function defaultStoreDir(deps: DefaultStoreDirDeps = {}): string {
  const canUse = deps.canUse ?? canWriteOrCreate;
  if (canUse(SYSTEM_STORE_DIR)) return SYSTEM_STORE_DIR;
  const env = deps.env ?? process.env;
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'leuko');
  return join(deps.home ?? homedir(), '.local', 'state', 'leuko');
}

/** True when `dir` is a writable directory, or does not exist and its nearest existing ancestor is writable. */
export function canWriteOrCreate(dir: string): boolean {
  let current = dir;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(current).isDirectory();
    } catch {
      const parent = dirname(current);
      if (parent === current) return false;
      current = parent;
      continue;
    }
    if (!isDir) return false;
    try {
      accessSync(current, constants.W_OK | constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
}
