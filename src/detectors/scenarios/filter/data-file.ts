import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LeukoError } from '../../../core/errors.js';

/** One entry of a list file: the pattern matched, and what to call it when it matches. */
export interface ListEntry {
  readonly pattern: string;
  /** Set in labelled (`.tsv`) lists: e.g. the CVE an exploit signature belongs to. */
  readonly label?: string;
}

/**
 * Read a list file: one entry per line, `#` starts a comment line, blank lines skipped. Entries
 * are kept verbatim apart from the line ending (a trailing space can be part of a pattern, like
 * `<p ` in an XSS list); a leading `\#` stands for a literal `#`.
 */
export function parseListText(text: string): string[] {
  return parseListEntries(text, false).map((e) => e.pattern);
}

/**
 * Entries of a list text. In a labelled list each line is `pattern<TAB>label`: the first tab
 * ends the pattern, the rest (trimmed) names it. Only opted-in files are read this way, since a
 * tab can be part of a pattern in a plain list. A labelled line with an empty pattern throws:
 * an empty pattern would match every value.
 */
export function parseListEntries(text: string, labelled: boolean): ListEntry[] {
  const out: ListEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const entry = line.startsWith('\\#') ? line.slice(1) : line;
    const tab = labelled ? entry.indexOf('\t') : -1;
    if (tab < 0) {
      out.push({ pattern: entry });
      continue;
    }
    const pattern = entry.slice(0, tab);
    if (pattern === '') throw new Error(`line ${i + 1}: empty pattern before the tab`);
    const label = entry.slice(tab + 1).trim();
    out.push(label === '' ? { pattern } : { pattern, label });
  }
  return out;
}

/** Lists named `*.tsv` hold `pattern<TAB>label` lines. */
export function isLabelledList(name: string): boolean {
  return name.endsWith('.tsv');
}

const cache = new Map<string, readonly ListEntry[]>();

/** Find `name` in the search directories (first hit wins); absolute names are used as they are. */
export function resolveDataFile(name: string, dirs: readonly string[]): string | undefined {
  if (path.isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const dir of dirs) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Load (and cache by absolute path) the entries of a list file; throws `RULE_INVALID` when missing or malformed. */
export function loadDataEntries(name: string, dirs: readonly string[]): readonly ListEntry[] {
  const p = resolveDataFile(name, dirs);
  if (p === undefined) {
    throw new LeukoError('RULE_INVALID', `data file ${name} not found`, { details: { name, dirs: [...dirs] } });
  }
  let list = cache.get(p);
  if (!list) {
    try {
      list = parseListEntries(readFileSync(p, 'utf8'), isLabelledList(p));
    } catch (err) {
      throw new LeukoError('RULE_INVALID', `data file ${name}: ${(err as Error).message}`, {
        cause: err,
        details: { name, path: p },
      });
    }
    cache.set(p, list);
  }
  return list;
}

/** Load (and cache by absolute path) the patterns of a list file. */
export function loadDataFile(name: string, dirs: readonly string[]): readonly string[] {
  return loadDataEntries(name, dirs).map((e) => e.pattern);
}
