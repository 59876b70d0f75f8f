import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type CorrelationDef, parseCorrelation } from './correlation-def.js';
import { type CompileOptions, compileRule, ruleIdentity, type SigmaRule, type UnsupportedRule } from './rule.js';

/** Everything loaded from a set of rule files and directories. */
export interface SigmaRuleSet {
  readonly rules: readonly SigmaRule[];
  readonly correlations: readonly CorrelationDef[];
  readonly unsupported: readonly UnsupportedRule[];
  /** Files read, in load order. */
  readonly files: readonly string[];
}

type Doc = Record<string, unknown>;

function isMap(x: unknown): x is Doc {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Rule files under the given paths: files as given, directories walked in sorted order. */
export function listRuleFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const child = path.join(p, name);
        if (statSync(child).isDirectory()) walk(child);
        else if (/\.ya?ml$/i.test(name)) out.push(child);
      }
    } else out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

function deepMerge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/**
 * The documents of one file, with Sigma 1 rule collections resolved (`action: global`
 * merges into every later document, `reset` clears it, `repeat` reuses the previous one).
 */
function documentsOf(text: string): { docs: Doc[]; error?: string } {
  const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const docs: Doc[] = [];
  let global: Doc | undefined;
  let previous: Doc | undefined;
  for (const d of list) {
    if (d.errors.length > 0) return { docs, error: `YAML: ${d.errors[0]!.message.split('\n')[0]}` };
    const js: unknown = d.toJS({ maxAliasCount: 100 });
    if (js === null || js === undefined) continue;
    if (!isMap(js)) return { docs, error: 'a rule document must be a YAML map' };
    const action = js.action;
    if (action === 'global') {
      const { action: _a, ...rest } = js;
      global = rest;
      continue;
    }
    if (action === 'reset') {
      global = undefined;
      continue;
    }
    let doc: Doc = js;
    if (action === 'repeat' && previous) {
      const { action: _a, ...rest } = js;
      doc = deepMerge(previous, rest);
    } else if (global) doc = deepMerge(global, js);
    previous = doc;
    docs.push(doc);
  }
  return { docs };
}

/**
 * Load and compile Sigma rules. Every document either compiles or is listed as unsupported
 * with its reason; nothing is dropped silently.
 * @example loadSigmaRules(['rules/sigma'], { placeholders: {} }).rules.length
 */
export function loadSigmaRules(paths: readonly string[], opts: CompileOptions): SigmaRuleSet {
  const rules: SigmaRule[] = [];
  const correlations: CorrelationDef[] = [];
  const unsupported: UnsupportedRule[] = [];
  const files = listRuleFiles(paths);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      unsupported.push({ file, reason: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const { docs, error } = documentsOf(text);
    if (error) unsupported.push({ file, reason: error });
    for (const doc of docs) {
      if (isMap(doc.correlation)) {
        const c = parseCorrelation(doc, file);
        if (c.ok) correlations.push(c.def);
        else unsupported.push(c.unsupported);
        continue;
      }
      if (isMap(doc.filter) && doc.detection === undefined) {
        unsupported.push({
          file,
          ...ruleIdentity(doc),
          reason: 'Sigma filter documents (meta filters) are not supported',
        });
        continue;
      }
      const r = compileRule(doc, file, opts);
      if (r.ok) rules.push(r.rule);
      else unsupported.push(r.unsupported);
    }
  }
  // A correlation may only name rules that exist: report it otherwise.
  const known = new Set<string>();
  for (const r of rules) {
    known.add(r.id);
    if (r.name) known.add(r.name);
  }
  for (const c of correlations) {
    known.add(c.id);
    if (c.name) known.add(c.name);
  }
  const usable: CorrelationDef[] = [];
  for (const c of correlations) {
    const missing = c.rules.filter((r) => !known.has(r));
    if (missing.length > 0)
      unsupported.push({
        file: c.file,
        id: c.id,
        title: c.title,
        reason: `correlation.rules names unknown rules: ${missing.join(', ')}`,
      });
    else usable.push(c);
  }
  return { rules, correlations: usable, unsupported, files };
}
