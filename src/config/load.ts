import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { checkDecisions, checkPolicy, checkScenarios, checkSources } from './checks.js';
import { createHostProbe } from './host-probe.js';
import type { Finding } from './finding.js';
import { createYamlLocator, formatPath, type YamlLocator } from './positions.js';
import { deepFreeze, resolveConfig, resolveSource } from './resolve.js';
import { type ConfigSchema, configSchema, type ParsedConfig } from './schema.js';
import type { ConfigIssue, LoadOptions, LoadResult } from './types.js';
import { findingFromYamlError } from './yaml-issues.js';
import { findingsFromZodIssue } from './zod-issues.js';

/** A config is a few KiB; refusing huge input bounds the work a hostile file can cause. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function toIssue(file: string, locator: YamlLocator | undefined, f: Finding & { offset?: number }): ConfigIssue {
  const pos = f.offset !== undefined ? locator?.offset(f.offset) : locator?.at(f.path, f.target);
  return {
    file,
    ...(pos ? { line: pos.line, column: pos.column } : {}),
    key: formatPath(f.path),
    message: f.message,
    hint: f.hint,
    severity: f.severity,
  };
}

function finish(
  issues: ConfigIssue[],
  strict: boolean,
  config: () => ParsedConfig | undefined,
  baseDir: string,
): LoadResult {
  const all = strict
    ? issues.map((i) => (i.severity === 'warning' ? { ...i, severity: 'error' as const } : i))
    : issues;
  all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const parsed = config();
  if (parsed === undefined || all.some((i) => i.severity === 'error')) return { ok: false, issues: all };
  return { ok: true, config: deepFreeze(resolveConfig(parsed, baseDir)), warnings: all };
}

/** Sections that validate on their own, so cross-checks still run when another section fails. */
function parseSections(schema: ConfigSchema, data: Record<string, unknown>): Partial<ParsedConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, section] of Object.entries(schema.shape)) {
    const r = section.safeParse(data[key]);
    if (r.success) out[key] = r.data;
  }
  return out as Partial<ParsedConfig>;
}

function crossChecks(
  parts: Partial<ParsedConfig>,
  data: Record<string, unknown>,
  opts: LoadOptions,
  baseDir: string,
): Finding[] {
  const probe = opts.probe ?? createHostProbe();
  const out: Finding[] = [];
  if ('sources' in parts) {
    const sources = (parts.sources ?? []).map((s) => resolveSource(s, baseDir));
    out.push(...checkSources(sources, data.sources !== undefined, probe));
  }
  const policyRaw = data.policy as { allowlist?: unknown } | undefined;
  if (parts.policy) out.push(...checkPolicy(parts.policy, policyRaw?.allowlist, parts.responders));
  if (parts.decisions) out.push(...checkDecisions(parts.decisions));
  if (parts.scenarios) {
    const dirs = parts.scenarios.dirs.map((d) => resolve(baseDir, d));
    out.push(...checkScenarios({ ...parts.scenarios, dirs }, opts.knownScenarios, probe));
  }
  return out;
}

function validate(doc: Document, locator: YamlLocator, file: string, opts: LoadOptions, baseDir: string): LoadResult {
  const issues: ConfigIssue[] = [];
  const add = (f: Finding & { offset?: number }) => issues.push(toIssue(file, locator, f));
  for (const e of doc.errors) add(findingFromYamlError(e, 'error', locator.pathAt));
  for (const w of doc.warnings) add(findingFromYamlError(w, 'warning', locator.pathAt));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    add({
      path: [],
      message: `YAML: ${(e as Error).message}`,
      hint: 'write the values out instead of nesting aliases',
      severity: 'error',
    });
    return finish(issues, opts.strict ?? false, () => undefined, baseDir);
  }
  data ??= {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    add({
      path: [],
      message: `the config must be a mapping of sections, got ${Array.isArray(data) ? 'a list' : 'a single value'}`,
      hint: 'start with section keys such as `sources:`, `policy:`, `store:`',
      severity: 'error',
    });
    return finish(issues, opts.strict ?? false, () => undefined, baseDir);
  }
  // `policy:` with nothing under it is an empty section, not an error.
  const raw = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null));
  const schema = configSchema(opts.knownFormats);
  const r = schema.safeParse(raw, { reportInput: true });
  if (!r.success) for (const i of r.error.issues) for (const f of findingsFromZodIssue(i, schema, raw)) add(f);
  const parts = r.success ? r.data : parseSections(schema, raw);
  for (const f of crossChecks(parts, raw, opts, baseDir)) add(f);
  return finish(issues, opts.strict ?? false, () => (r.success ? r.data : undefined), baseDir);
}

/**
 * Validate config text. Never throws: every problem (YAML syntax, schema, cross-checks) comes
 * back at once, each with file, line, key and a fix.
 *
 * @example
 * const r = parseConfigText('policy: { mode: observe }', 'leuko.yaml');
 * if (!r.ok) console.error(formatIssues(r.issues));
 */
export function parseConfigText(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const baseDir = opts.baseDir ?? dirname(resolve(file));
  if (text.length > MAX_CONFIG_BYTES) {
    const issue = {
      file,
      key: '',
      message: `config is larger than ${MAX_CONFIG_BYTES} bytes`,
      hint: 'a Leuko config is a few KiB; check that this is the right file',
      severity: 'error' as const,
    };
    return { ok: false, issues: [issue] };
  }
  try {
    const lc = new LineCounter();
    const doc = parseDocument(text, {
      lineCounter: lc,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
      logLevel: 'error',
    });
    return validate(doc, createYamlLocator(doc, lc), file, opts, baseDir);
  } catch (e) {
    // A bug here must not take the daemon down with a stack trace instead of a config error.
    const message = `internal error while validating: ${(e as Error)?.message ?? String(e)}`;
    return {
      ok: false,
      issues: [{ file, key: '', message, hint: 'please report this with the config file', severity: 'error' }],
    };
  }
}

/** Read and validate a config file. A missing or unreadable file is an issue, not a throw. */
export function loadConfigFile(path: string, opts: LoadOptions = {}): LoadResult {
  const fail = (message: string, hint: string): LoadResult => ({
    ok: false,
    issues: [{ file: path, key: '', message, hint, severity: 'error' }],
  });
  let text: string;
  try {
    if (statSync(path).size > MAX_CONFIG_BYTES)
      return fail('config file is too large', 'check that this is the right file');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return fail(
        'config file not found',
        'create it, pass another path with --config, or run without a file to use the built-in defaults',
      );
    if (code === 'EACCES')
      return fail('config file is not readable', 'run as a user that can read it, or fix its permissions');
    if (code === 'EISDIR')
      return fail('config path is a directory', 'point at the YAML file itself, e.g. /etc/leuko/leuko.yaml');
    return fail(`cannot read config file: ${(e as Error).message}`, 'check the path and permissions');
  }
  return parseConfigText(text, path, opts);
}
