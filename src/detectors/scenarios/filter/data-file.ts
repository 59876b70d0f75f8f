import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LeukoError } from '../../../core/errors.js';

/**
 * Read a list file: one entry per line, `#` starts a comment line, blank lines skipped. Entries
 * are kept verbatim apart from the line ending (a trailing space can be part of a pattern, like
 * `<p ` in an XSS list); a leading `\#` stands for a literal `#`.
 */
export function parseListText(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    out.push(line.startsWith('\\#') ? line.slice(1) : line);
  }
  return out;
}

const cache = new Map<string, readonly string[]>();

/** Find `name` in the search directories (first hit wins); absolute names are used as they are. */
export function resolveDataFile(name: string, dirs: readonly string[]): string | undefined {
  if (path.isAbsolute(name)) return name;
  for (const dir of dirs) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Load (and cache by absolute path) a list file. */
export function loadDataFile(name: string, dirs: readonly string[]): readonly string[] {
  const p = resolveDataFile(name, dirs);
  if (p === undefined) {
    throw new LeukoError('RULE_INVALID', `data file ${name} not found`, { details: { name, dirs: [...dirs] } });
  }
  let list = cache.get(p);
  if (!list) {
    list = parseListText(readFileSync(p, 'utf8'));
    cache.set(p, list);
  }
  return list;
}
