import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseIni } from './ini.js';

/**
 * fail2ban's merged view of one config (`SafeConfigParserWithIncludes` + `ConfigReaderUnshared`):
 * `NAME.conf`, `NAME.d/*.conf`, `NAME.local`, `NAME.d/*.local`, each preceded by its
 * `[INCLUDES] before` files and followed by its `after` files (recursively, every file with
 * its `.local`); later files override earlier ones option by option, and the values they
 * replace stay reachable as `known/option` (section `KNOWN/<section>`).
 */
export class ConfigSet {
  readonly defaults = new Map<string, string>();
  readonly sections = new Map<string, Map<string, string>>();
  readonly files: string[] = [];
  readonly issues: string[] = [];

  /** Read `base` (a path without extension, e.g. `/etc/fail2ban/filter.d/sshd`). */
  static read(base: string): ConfigSet {
    const set = new ConfigSet();
    const candidates = [`${base}.conf`, ...globSorted(`${base}.d`, '.conf'), `${base}.local`];
    candidates.push(...globSorted(`${base}.d`, '.local'));
    const existing = candidates.filter((f) => existsSync(f));
    const full: string[] = [];
    for (const f of expandWithLocal(existing)) full.push(...includesOf(f, [], set.issues));
    for (const f of full) set.merge(f);
    return set;
  }

  private merge(file: string): void {
    const ini = parseFile(file);
    if (ini === undefined) return;
    this.files.push(file);
    for (const issue of ini.issues) this.issues.push(`${file}:${issue.line}: ${issue.message}`);
    for (const [k, v] of ini.defaults) this.defaults.set(k, v);
    for (const [rawName, opts] of ini.sections) {
      let name = rawName;
      let s = opts;
      const cond = /^(\w+)(\?.+)$/.exec(rawName);
      if (cond) {
        // Conditional section `[Init?family=inet6]`: its options get the condition as suffix.
        name = cond[1]!;
        s = new Map([...opts].map(([k, v]) => [k + cond[2]!, v]));
      }
      const existing = this.sections.get(name);
      if (existing) {
        const known = this.sections.get(`KNOWN/${name}`) ?? new Map<string, string>();
        for (const [k, v] of existing) if (s.has(k)) known.set(k, v);
        this.sections.set(`KNOWN/${name}`, known);
        for (const [k, v] of s) existing.set(k, v);
      } else this.sections.set(name, new Map(s));
    }
  }
}

const fileCache = new Map<string, ReturnType<typeof parseIni> | undefined>();

function parseFile(file: string): ReturnType<typeof parseIni> | undefined {
  if (fileCache.has(file)) return fileCache.get(file);
  let ini: ReturnType<typeof parseIni> | undefined;
  try {
    ini = parseIni(readFileSync(file, 'utf8'));
  } catch {
    ini = undefined;
  }
  fileCache.set(file, ini);
  return ini;
}

/** Forget cached file contents (tests that rewrite a filter; long-running reloads). */
export function clearConfigCache(): void {
  fileCache.clear();
}

function globSorted(dir: string, ext: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

function expandWithLocal(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    out.push(f);
    const local = f.replace(/\.[^./]*$/, '') + '.local';
    if (!files.includes(local) && local !== f && existsSync(local)) out.push(local);
  }
  return out;
}

function includesOf(resource: string, seen: readonly string[], issues: string[]): string[] {
  const ini = parseFile(resource);
  if (ini === undefined) {
    if (existsSync(resource)) issues.push(`${resource}: cannot read`);
    return [];
  }
  const dir = path.dirname(resource);
  const inc = ini.sections.get('INCLUDES');
  const lists: string[][] = [[], []];
  ['before', 'after'].forEach((opt, i) => {
    const v = inc?.get(opt);
    if (v === undefined) return;
    for (const entry of v.split('\n')) {
      if (entry === '') continue;
      const r = path.isAbsolute(entry) ? entry : path.join(dir, entry);
      if (seen.includes(r)) continue;
      for (const f of expandWithLocal([r])) lists[i]!.push(...includesOf(f, [...seen, resource], issues));
    }
  });
  return [...lists[0]!, resource, ...lists[1]!];
}
