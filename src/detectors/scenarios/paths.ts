import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The package root: the nearest folder above this module holding package.json. Works the same
 * from src/ (tsx, vitest) and from dist/ (after tsc), which sit at the same depth.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) return (root = process.cwd());
    dir = up;
  }
}

/** Absolute path of the shipped scenarios (rules/scenarios). */
export function builtinScenarioDir(): string {
  return path.join(packageRoot(), 'rules', 'scenarios');
}

/** Absolute path of the shipped data lists (rules/data). */
export function builtinDataDir(): string {
  return path.join(packageRoot(), 'rules', 'data');
}
