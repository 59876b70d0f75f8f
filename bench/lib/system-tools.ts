import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Full path of an executable on PATH, or undefined. */
export function which(binary: string): string | undefined {
  if (binary.includes('/')) return canRun(binary) ? binary : undefined;
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir, binary);
    if (canRun(candidate)) return candidate;
  }
  return undefined;
}

function canRun(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function apt(args: readonly string[]): boolean {
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

/**
 * Make sure `binary` exists, installing Debian package `pkg` with apt-get when it does not
 * (and refreshing the package lists once if the first install fails). Needs root; returns
 * the binary's path, or undefined with the reason logged.
 */
export function ensureTool(binary: string, pkg: string, log: (msg: string) => void): string | undefined {
  const found = which(binary);
  if (found) return found;
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    log(`${binary} is missing; install it with: apt-get install -y ${pkg}`);
    return undefined;
  }
  log(`${binary} is missing; installing the ${pkg} package with apt-get...`);
  if (!apt(['install', '-y', '--no-install-recommends', pkg])) {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', pkg]);
  }
  const after = which(binary);
  if (!after) log(`could not install ${pkg}; ${binary} stays unavailable`);
  return after;
}
