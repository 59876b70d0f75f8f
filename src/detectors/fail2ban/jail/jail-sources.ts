import path from 'node:path';
import { expandFileGlob } from '../../../platform/glob.js';
import type { Fail2banSettings } from '../runtime.js';
import { FORMAT_PREFIX } from './jail-parser.js';
import { readJailFile } from './jail-spec.js';

/**
 * The log files of the configured jails, each to be followed with its jail's format
 * (`fail2ban:<jail>`), as `leuko run` sources. Inline jails override file jails of the same
 * name; jails without `logpath` (journal backends) add nothing here.
 */
export function jailLogSources(
  settings: Fail2banSettings | undefined,
  baseDir: string,
): { id: string; path: string; format: string }[] {
  if (settings === undefined) return [];
  const logs = new Map<string, readonly string[]>();
  if (settings.jail_file !== undefined) {
    for (const j of readJailFile(path.resolve(baseDir, settings.jail_file)).jails) logs.set(j.name, j.logpath);
  }
  for (const j of settings.jails) logs.set(j.name, j.logpath);
  const out: { id: string; path: string; format: string }[] = [];
  for (const [name, paths] of logs) {
    for (const p of paths) {
      // fail2ban accepts globs in `logpath` (`/var/log/nginx/*error.log`), expanded as it starts.
      for (const abs of expandFileGlob(path.resolve(baseDir, p))) {
        out.push({ id: `${FORMAT_PREFIX}${name}:${abs}`, path: abs, format: `${FORMAT_PREFIX}${name}` });
      }
    }
  }
  return out;
}
