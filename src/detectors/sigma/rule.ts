import type { Severity } from '../../core/detection.js';
import { compileCondition, ConditionError, parseCondition } from './condition.js';
import { compileSearch, type Search } from './detection.js';
import type { EventView } from './event-view.js';
import { conditionLiterals, type Literals, searchLiterals } from './prefilter.js';
import { type Logsource, type LogsourceRoute, routeLogsource } from './logsource.js';
import { ModifierError, type Placeholders } from './values.js';

/** A compiled Sigma detection rule. */
export interface SigmaRule {
  readonly kind: 'detection';
  /** `id`, else `name`, else the title: what `rules test` prints. */
  readonly id: string;
  readonly name?: string;
  readonly title: string;
  readonly description: string;
  readonly file: string;
  readonly level: string;
  readonly severity: Severity;
  readonly status?: string;
  readonly tags: readonly string[];
  /** ATT&CK technique ids from `attack.tNNNN[.NNN]` tags, e.g. `T1110.001`. */
  readonly techniques: readonly string[];
  readonly logsource: Logsource;
  readonly route: LogsourceRoute;
  /** Sigma field names the rule reads (for messages and listings). */
  readonly fields: readonly string[];
  /** Event keys tried for a Sigma field name (raw first, then the logsource mapping). */
  readonly fieldKeys: (field: string) => readonly string[];
  readonly match: (view: EventView) => boolean;
  /** Lowercased literals of which one must be in the event for a match (null: no guarantee). */
  readonly literals: Literals;
}

/** A rule we cannot compile, with the precise reason. */
export interface UnsupportedRule {
  readonly file: string;
  readonly id?: string;
  readonly title?: string;
  readonly reason: string;
}

export interface CompileOptions {
  readonly placeholders: Placeholders;
}

type Doc = Record<string, unknown>;

const LEVELS: Record<string, Severity> = {
  informational: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** `attack.t1110.001` → `T1110.001`; other tags give nothing. */
export function techniquesOf(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t);
    if (m && !out.includes(m[1]!.toUpperCase())) out.push(m[1]!.toUpperCase());
  }
  return out;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined;
}

function isMap(x: unknown): x is Doc {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

export function ruleIdentity(doc: Doc): { id?: string; name?: string; title?: string } {
  const out: { id?: string; name?: string; title?: string } = {};
  const id = str(doc.id);
  const name = str(doc.name);
  const title = str(doc.title);
  if (id !== undefined) out.id = id;
  if (name !== undefined) out.name = name;
  if (title !== undefined) out.title = title;
  return out;
}

function logsourceOf(x: unknown): Logsource {
  const ls: { product?: string; category?: string; service?: string } = {};
  if (isMap(x)) {
    for (const k of ['product', 'category', 'service'] as const) {
      const v = str(x[k]);
      if (v !== undefined) ls[k] = v;
    }
  }
  return ls;
}

/** Collect field names a detection reads (for listings). */
function fieldsOf(detection: Doc): string[] {
  const out = new Set<string>();
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (isMap(x)) for (const k of Object.keys(x)) out.add(k.split('|')[0] ?? '');
  };
  for (const [k, v] of Object.entries(detection)) if (k !== 'condition' && k !== 'timeframe') visit(v);
  out.delete('');
  return [...out];
}

/**
 * Compile one Sigma detection rule document. Field names resolve raw first (the event's own
 * name), then through the logsource's mapping to ECS.
 */
export function compileRule(
  doc: Doc,
  file: string,
  opts: CompileOptions,
): { ok: true; rule: SigmaRule } | { ok: false; unsupported: UnsupportedRule } {
  const ident = ruleIdentity(doc);
  const fail = (reason: string) => ({ ok: false as const, unsupported: { file, ...ident, reason } });
  if (ident.title === undefined) return fail('the rule has no title');
  const detection = doc.detection;
  if (!isMap(detection)) return fail('the rule has no detection section');
  const logsource = logsourceOf(doc.logsource);
  const route = routeLogsource(logsource);
  const fieldKeys = (field: string): readonly string[] => {
    const mapped = route.mapField(field);
    return mapped ? [field, ...mapped] : [field];
  };
  const searches = new Map<string, Search>();
  for (const [name, def] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    try {
      searches.set(name, compileSearch(def, { fieldKeys, placeholders: opts.placeholders }));
    } catch (err) {
      if (err instanceof ModifierError) return fail(`detection.${name}: ${err.message}`);
      throw err;
    }
  }
  const cond = detection.condition;
  const conds = Array.isArray(cond) ? cond : [cond];
  if (conds.length === 0 || conds.some((c) => typeof c !== 'string'))
    return fail('detection.condition must be a string or a list of strings');
  let match: (view: EventView) => boolean;
  let literals: Literals = null;
  try {
    const trees = (conds as string[]).map((c) => parseCondition(c));
    const compiled = trees.map((t) => compileCondition(t, searches));
    const lits = new Map<string, Literals>();
    for (const name of searches.keys()) lits.set(name, searchLiterals(detection[name], opts.placeholders));
    const perCond = trees.map((t) => conditionLiterals(t, lits));
    literals = perCond.includes(null) ? null : [...new Set(perCond.flatMap((l) => l ?? []))];
    match =
      compiled.length === 1
        ? compiled[0]!
        : (view) => {
            for (const c of compiled) if (c(view)) return true;
            return false;
          };
  } catch (err) {
    if (err instanceof ConditionError) return fail(`detection.condition: ${err.message}`);
    throw err;
  }
  const tags = Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === 'string') : [];
  const level = (str(doc.level) ?? 'medium').toLowerCase();
  const rule: SigmaRule = {
    kind: 'detection',
    id: ident.id ?? ident.name ?? ident.title,
    ...(ident.name !== undefined ? { name: ident.name } : {}),
    title: ident.title,
    description: str(doc.description)?.trim() ?? '',
    file,
    level,
    severity: LEVELS[level] ?? 'medium',
    ...(str(doc.status) !== undefined ? { status: str(doc.status)! } : {}),
    tags,
    techniques: techniquesOf(tags),
    logsource,
    route,
    fields: fieldsOf(detection),
    fieldKeys,
    match,
    literals,
  };
  return { ok: true, rule };
}
