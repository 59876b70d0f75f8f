import type { Severity } from '../../core/detection.js';
import { parseDurationS } from '../../core/duration.js';
import { ruleIdentity, techniquesOf, type UnsupportedRule } from './rule.js';

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

export type CmpOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

/** A parsed Sigma correlation rule (Sigma 2 correlation specification). */
export interface CorrelationDef {
  readonly kind: 'correlation';
  readonly id: string;
  readonly name?: string;
  readonly title: string;
  readonly file: string;
  readonly type: CorrelationType;
  /** Rule ids or names it correlates. */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  /** alias → (rule id or name → field). */
  readonly aliases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timespanMs: number;
  /** All must hold (a range is two comparisons). Empty for temporal without a condition. */
  readonly condition: readonly { readonly op: CmpOp; readonly n: number }[];
  /** value_count: the field whose distinct values are counted. */
  readonly valueField?: string;
  readonly generate: boolean;
  readonly level: string;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly techniques: readonly string[];
  readonly description: string;
}

type Doc = Record<string, unknown>;

function isMap(x: unknown): x is Doc {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

const TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const OPS: readonly CmpOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];
const SEVERITY: Record<string, Severity> = {
  informational: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** Does `count` satisfy every comparison? */
export function conditionHolds(cond: CorrelationDef['condition'], count: number): boolean {
  for (const { op, n } of cond) {
    const ok =
      op === 'gt'
        ? count > n
        : op === 'gte'
          ? count >= n
          : op === 'lt'
            ? count < n
            : op === 'lte'
              ? count <= n
              : op === 'eq'
                ? count === n
                : count !== n;
    if (!ok) return false;
  }
  return true;
}

export function parseCorrelation(
  doc: Doc,
  file: string,
): { ok: true; def: CorrelationDef } | { ok: false; unsupported: UnsupportedRule } {
  const ident = ruleIdentity(doc);
  const fail = (reason: string) => ({ ok: false as const, unsupported: { file, ...ident, reason } });
  const c = doc.correlation as Doc;
  const type = c.type;
  if (typeof type !== 'string' || !TYPES.includes(type as CorrelationType))
    return fail(
      `correlation.type must be one of ${TYPES.join(', ')}; value_sum, value_avg and value_percentile are not supported`,
    );
  const rulesRaw = c.rules;
  const rules = typeof rulesRaw === 'string' ? [rulesRaw] : Array.isArray(rulesRaw) ? rulesRaw.map(String) : [];
  if (rules.length === 0) return fail('correlation.rules must name at least one rule');
  const gb = c['group-by'];
  const groupBy = typeof gb === 'string' ? [gb] : Array.isArray(gb) ? gb.map(String) : [];
  const spanRaw = c.timespan ?? c.timeframe;
  const spanS = typeof spanRaw === 'string' || typeof spanRaw === 'number' ? parseDurationS(spanRaw) : undefined;
  if (spanS === undefined || spanS <= 0) return fail('correlation.timespan must be a duration like 5m or 1h');
  const condition: { op: CmpOp; n: number }[] = [];
  let valueField: string | undefined;
  const condRaw = c.condition;
  if (isMap(condRaw)) {
    for (const [k, v] of Object.entries(condRaw)) {
      if (k === 'field') {
        if (typeof v !== 'string') return fail('correlation.condition.field must be a field name');
        valueField = v;
      } else if (OPS.includes(k as CmpOp) && typeof v === 'number') condition.push({ op: k as CmpOp, n: v });
      else return fail(`correlation.condition.${k}: expected one of ${OPS.join(', ')} with a number, or field`);
    }
  } else if (condRaw !== undefined && condRaw !== null)
    return fail('correlation.condition must be a map like {gte: 10}');
  if ((type === 'event_count' || type === 'value_count') && condition.length === 0)
    return fail(`correlation.condition is required for ${type}`);
  if (type === 'value_count' && valueField === undefined) return fail('value_count needs correlation.condition.field');
  const aliases: Record<string, Record<string, string>> = {};
  if (isMap(c.aliases)) {
    for (const [alias, m] of Object.entries(c.aliases)) {
      if (!isMap(m)) return fail(`correlation.aliases.${alias} must map rule names to fields`);
      aliases[alias] = Object.fromEntries(Object.entries(m).map(([r, f]) => [r, String(f)]));
    }
  }
  if (ident.title === undefined) return fail('the correlation has no title');
  const tags = Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === 'string') : [];
  const level = (typeof doc.level === 'string' ? doc.level : 'medium').toLowerCase();
  return {
    ok: true,
    def: {
      kind: 'correlation',
      id: ident.id ?? ident.name ?? ident.title,
      ...(ident.name !== undefined ? { name: ident.name } : {}),
      title: ident.title,
      file,
      type: type as CorrelationType,
      rules,
      groupBy,
      aliases,
      timespanMs: Math.round(spanS * 1000),
      condition,
      ...(valueField !== undefined ? { valueField } : {}),
      generate: c.generate === true,
      level,
      severity: SEVERITY[level] ?? 'medium',
      tags,
      techniques: techniquesOf(tags),
      description: typeof doc.description === 'string' ? doc.description.trim() : '',
    },
  };
}
