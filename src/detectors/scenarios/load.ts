import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { LeukoError } from '../../core/errors.js';
import { compileScenario } from './compile-scenario.js';
import { builtinDataDir } from './paths.js';
import { SCENARIO_KINDS, scenarioSpecSchema } from './schema.js';
import { type CachedSpec, cachedSpecs, specTextKey } from './spec-cache.js';
import type { RuleIssue, Scenario } from './types.js';

type Path = readonly PropertyKey[];

/** Line (1-based) of the deepest node along `p`, preferring the key of the last segment. */
function lineOf(doc: Document, lc: LineCounter, p: Path): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      const keyRange = (pair.key as { range?: [number, number, number] }).range;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  return lc.linePos(offset).line;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function knownKeys(kind: unknown): string[] {
  const option = scenarioSpecSchema.options.find((o) => o.shape.kind.value === kind) ?? scenarioSpecSchema.options[0];
  return Object.keys(option.shape);
}

function unknownKeyHint(key: string, kind: unknown): string {
  const keys = knownKeys(kind);
  const close = keys.filter((k) => editDistance(k, key) <= 2);
  const base = `known keys${typeof kind === 'string' ? ` for kind ${kind}` : ''}: ${keys.join(', ')}`;
  return close.length > 0 ? `did you mean \`${close[0]}\`? ${base}` : base;
}

function keyText(p: Path): string {
  return p.map(String).join('.');
}

/** Where a scenario file's `|in_file` lists are looked up: ../data, its own folder, the shipped lists. */
export function defaultDataDirs(file: string): string[] {
  return [path.join(path.dirname(file), '..', 'data'), path.dirname(file), builtinDataDir()];
}

/** Parse and compile the scenarios of one YAML text (several `---` documents allowed). */
export function parseScenarioText(
  text: string,
  file: string,
  dataDirs?: readonly string[],
): { scenarios: Scenario[]; issues: RuleIssue[] } {
  const dirs = dataDirs ?? defaultDataDirs(file);
  const cached = cachedSpecs(text);
  const fast = cached === undefined ? undefined : compileValid(cached, file, dirs);
  if (fast !== undefined) return { scenarios: fast, issues: [] };
  const { docs, issues } = validateScenarioText(text, file);
  const scenarios: Scenario[] = [];
  for (const d of docs) {
    const compiled = compileScenario(d.spec, { file, line: d.line, dataDirs: dirs });
    for (const iss of compiled.issues) {
      issues.push({
        file,
        line: d.lineOf(iss.path),
        key: keyText(iss.path),
        message: iss.message,
        ...(iss.hint ? { hint: iss.hint } : {}),
      });
    }
    if (compiled.scenario) scenarios.push(compiled.scenario);
  }
  return { scenarios, issues };
}

/** Compile specs known to be valid; undefined when any has an issue (the full path reports it). */
function compileValid(docs: readonly CachedSpec[], file: string, dataDirs: readonly string[]): Scenario[] | undefined {
  const out: Scenario[] = [];
  for (const d of docs) {
    const compiled = compileScenario(d.spec, { file, line: d.line, dataDirs });
    if (compiled.issues.length > 0 || !compiled.scenario) return undefined;
    out.push(compiled.scenario);
  }
  return out;
}

/**
 * The specs of a file the build may cache: every document valid and compiling with no issue,
 * and each spec unchanged by a JSON round trip (an `Infinity` or `undefined` would not be).
 */
export function cacheableSpecs(text: string, file: string): CachedSpec[] | undefined {
  const { docs, issues } = validateScenarioText(text, file);
  if (issues.length > 0) return undefined;
  const dirs = defaultDataDirs(file);
  const specs = docs.map((d) => ({ spec: d.spec, line: d.line }));
  if (compileValid(specs, file, dirs) === undefined) return undefined;
  return specs.every((d) => isDeepStrictEqual(JSON.parse(JSON.stringify(d.spec)), d.spec)) ? specs : undefined;
}

interface ValidDoc extends CachedSpec {
  /** Line of a key path inside this document, for compile issues. */
  lineOf(p: Path): number;
}

/** YAML and schema checks of one text: the valid documents' specs, and every issue found. */
function validateScenarioText(text: string, file: string): { docs: ValidDoc[]; issues: RuleIssue[] } {
  const lc = new LineCounter();
  const parsedDocs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  const docs: ValidDoc[] = [];
  const issues: RuleIssue[] = [];
  const list = Array.isArray(parsedDocs) ? parsedDocs : [];
  if (!Array.isArray(parsedDocs)) {
    issues.push({ file, line: 1, key: '', message: 'not a YAML stream', hint: 'check the file encoding' });
  }
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        issues.push({
          file,
          line: e.linePos?.[0]?.line ?? 0,
          key: '',
          message: e.message.split('\n')[0] ?? 'YAML error',
          hint: 'fix the YAML syntax',
        });
      }
      continue;
    }
    const raw: unknown = doc.toJS();
    if (raw === null || raw === undefined) continue; // empty document, e.g. a trailing `---`
    const docLine = lineOf(doc, lc, []);
    const parsed = scenarioSpecSchema.safeParse(raw);
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (!parsed.success) {
      for (const iss of parsed.error.issues) {
        if (iss.code === 'unrecognized_keys') {
          for (const k of iss.keys) {
            const p = [...iss.path, k];
            issues.push({
              file,
              line: lineOf(doc, lc, p),
              key: keyText(p),
              message: `unknown key \`${k}\``,
              hint: unknownKeyHint(k, kind),
            });
          }
          continue;
        }
        const last = iss.path[iss.path.length - 1];
        const hint =
          last === 'kind' || (iss.path.length === 0 && iss.code === 'invalid_union')
            ? `kind is one of ${SCENARIO_KINDS.join(', ')}`
            : iss.code === 'invalid_type' && iss.message.includes('undefined')
              ? `add \`${String(last)}:\``
              : undefined;
        const p = iss.path.length === 0 && iss.code === 'invalid_union' ? ['kind'] : iss.path;
        issues.push({
          file,
          line: lineOf(doc, lc, p),
          key: keyText(p),
          message: iss.message,
          ...(hint ? { hint } : {}),
        });
      }
      continue;
    }
    docs.push({ spec: parsed.data, line: docLine, lineOf: (p) => lineOf(doc, lc, p) });
  }
  return { docs, issues };
}

/** Load one scenario file; throws `RULE_INVALID` listing every issue when any is found. */
export function loadScenarioFile(file: string): Scenario[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LeukoError('CONFIG_NOT_FOUND', `cannot read scenario file ${file}`, { cause: err });
  }
  const { scenarios, issues } = parseScenarioText(text, file);
  if (issues.length > 0) {
    const lines = issues.map((i) => `${i.file}:${i.line} ${i.key}: ${i.message}${i.hint ? ` (hint: ${i.hint})` : ''}`);
    throw new LeukoError('RULE_INVALID', `invalid scenario file ${file}:\n${lines.join('\n')}`, {
      details: { issues },
    });
  }
  return scenarios;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (name !== 'node_modules' && !name.startsWith('.')) out.push(...yamlFiles(p));
    } else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Load every `*.yaml`/`*.yml` under the folders; collects all issues instead of stopping at the first. */
export function loadScenarios(dirs: readonly string[]): { scenarios: Scenario[]; issues: RuleIssue[] } {
  const scenarios: Scenario[] = [];
  const issues: RuleIssue[] = [];
  const seen = new Map<string, Scenario>();
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      issues.push({
        file: dir,
        line: 0,
        key: '',
        message: 'scenario directory not found',
        hint: 'create it or remove it from `scenarios.dirs`',
      });
      continue;
    }
    for (const file of yamlFiles(dir)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        issues.push({ file, line: 0, key: '', message: `cannot read: ${(err as Error).message}` });
        continue;
      }
      const res = parseScenarioText(text, file);
      issues.push(...res.issues);
      for (const s of res.scenarios) {
        const prev = seen.get(s.name);
        if (prev) {
          issues.push({
            file,
            line: s.source.line,
            key: 'name',
            message: `duplicate scenario name ${s.name}`,
            hint: `already defined at ${prev.source.file}:${prev.source.line}`,
          });
          continue;
        }
        seen.set(s.name, s);
        scenarios.push(s);
      }
    }
  }
  return { scenarios, issues };
}

/** The build's spec cache entries for every cacheable scenario file under `dir` (see spec-cache.ts). */
export function specCacheEntries(dir: string): Record<string, CachedSpec[]> {
  const files: Record<string, CachedSpec[]> = {};
  for (const file of yamlFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const specs = cacheableSpecs(text, file);
    if (specs !== undefined) files[specTextKey(text)] = specs;
  }
  return files;
}
