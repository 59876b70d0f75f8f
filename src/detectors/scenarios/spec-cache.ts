import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './paths.js';
import type { ScenarioSpec } from './schema.js';

/**
 * The shipped scenarios' validated specs, written by the build beside the bundled CLI, so a
 * start skips parsing their YAML and checking them against the schema (a fifth of the time a
 * `leuko replay` takes before its first line, all of it cold code). Entries are keyed by the
 * SHA-256 of a file's text: an edited file simply misses and takes the full path.
 *
 * The cache is only as right as the code that wrote it, so it carries the build's id, which the
 * bundler also compiles into the code (`__LEUKO_BUILD_ID__`). Code built any other way (tsc
 * alone, tests running the sources) has no id and never reads a cache; a bundle reads only
 * the cache of its own build.
 */
declare const __LEUKO_BUILD_ID__: string | undefined;

export interface CachedSpec {
  readonly spec: ScenarioSpec;
  /** Line of the document in its file, for messages. */
  readonly line: number;
}

export interface SpecCacheFile {
  readonly buildId: string;
  readonly files: Readonly<Record<string, readonly CachedSpec[]>>;
}

/** Where the build writes the cache, relative to the package root. */
export const SPEC_CACHE_PATH = path.join('dist', 'scenario-specs.json');

export function specTextKey(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let cache: ReadonlyMap<string, readonly CachedSpec[]> | null | undefined;

/** The cached specs of a scenario file's text, or undefined (no cache, or not in it). */
export function cachedSpecs(text: string): readonly CachedSpec[] | undefined {
  if (cache === undefined) cache = readCache();
  return cache === null ? undefined : cache.get(specTextKey(text));
}

function readCache(): ReadonlyMap<string, readonly CachedSpec[]> | null {
  const buildId = typeof __LEUKO_BUILD_ID__ === 'string' ? __LEUKO_BUILD_ID__ : undefined;
  if (buildId === undefined) return null;
  try {
    const data = JSON.parse(readFileSync(path.join(packageRoot(), SPEC_CACHE_PATH), 'utf8')) as SpecCacheFile;
    return data.buildId === buildId ? new Map(Object.entries(data.files)) : null;
  } catch {
    // No cache (or an unreadable one): parse the files, as code built without one does.
    return null;
  }
}
