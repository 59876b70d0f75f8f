import type { RemediationHint } from '../../core/detection.js';
import type { EntityType } from '../../core/entity.js';
import {
  EXPLAIN_PLACEHOLDERS,
  type ExplainTemplate,
  isPlainText,
  matchedFields,
  parseExplainTemplate,
} from './explain.js';
import { compileFilter } from './filter/compile-filter.js';
import type { ScenarioSpec } from './schema.js';
import type { KindParams, Scenario } from './types.js';

export interface CompileIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

export interface CompileContext {
  readonly file: string;
  readonly line: number;
  /** Directories searched for `|in_file` lists. */
  readonly dataDirs: readonly string[];
}

const ENTITY_BY_FIELD: Record<string, EntityType> = {
  'source.ip': 'ip',
  'user.name': 'user',
  'user.target.name': 'user',
  'host.name': 'host',
  'host.hostname': 'host',
  'file.path': 'file',
  'process.name': 'process',
};

function params(spec: ScenarioSpec): KindParams {
  switch (spec.kind) {
    case 'leaky':
      return { kind: 'leaky', capacity: spec.capacity, leakMs: spec.leakspeed };
    case 'trigger':
      return { kind: 'trigger' };
    case 'window':
    case 'counter':
      return {
        kind: 'window',
        windowMs: spec.window,
        threshold: spec.threshold,
        mode: spec.mode,
        report: spec.report,
        ...(spec.count_distinct === undefined ? {} : { countDistinct: spec.count_distinct }),
      };
    case 'cadence':
      return {
        kind: 'cadence',
        minEvents: spec.min_events,
        minMedianIntervalMs: spec.min_median_interval,
        idleMs: spec.idle,
      };
    case 'sequence':
      return { kind: 'sequence', windowMs: spec.window, threshold: spec.threshold, ordered: spec.ordered };
    case 'distributed':
      return { kind: 'distributed', sourceField: spec.source, windowMs: spec.window, threshold: spec.threshold };
  }
}

function defaultExplain(p: KindParams): string {
  switch (p.kind) {
    case 'leaky':
      return '{count} matching events from {key} in {span} (capacity {capacity}, leak {leakspeed})';
    case 'trigger':
      return 'matching event from {key}: {last:message}';
    case 'window':
      return p.countDistinct
        ? `{distinct:${p.countDistinct}} distinct ${p.countDistinct} values from {key} within {window} (threshold {threshold})`
        : '{count} matching events from {key} within {window} (threshold {threshold})';
    case 'cadence':
      return '{count} evenly spaced events from {key} over {span} (at least {min_events}, median interval over {interval})';
    case 'sequence':
      return '{count} matching events from {key} within {window} (threshold {threshold}), followed by {last:message}';
    case 'distributed':
      return '{sources} distinct sources against {key} within {window} (threshold {threshold})';
  }
}

/** Turn a validated spec into a runnable scenario; problems come back as issues with key paths. */
export function compileScenario(
  spec: ScenarioSpec,
  ctx: CompileContext,
): { scenario?: Scenario; issues: CompileIssue[] } {
  const issues: CompileIssue[] = [];
  const opts = { dataDirs: ctx.dataDirs };
  const filter = compileFilter(spec.filter, opts, ['filter']);
  issues.push(...filter.issues);
  const cancel = spec.cancel_on === undefined ? undefined : compileFilter(spec.cancel_on, opts, ['cancel_on']);
  if (cancel) issues.push(...cancel.issues);
  const followedBy = spec.kind === 'sequence' ? compileFilter(spec.followed_by, opts, ['followed_by']) : undefined;
  if (followedBy) issues.push(...followedBy.issues);
  if (followedBy && cancel)
    issues.push({
      path: ['cancel_on'],
      message: 'a `sequence` scenario takes `followed_by`, not `cancel_on`',
      hint: 'drop `cancel_on`: the bucket ends when its window passes',
    });

  const p = params(spec);
  const groupBy =
    spec.group_by === undefined ? [] : typeof spec.group_by === 'string' ? [spec.group_by] : spec.group_by;
  if (p.kind === 'window' && p.report === 'close' && p.mode !== 'fixed') {
    issues.push({
      path: ['report'],
      message: '`report: close` needs fixed windows',
      hint: 'set `mode: fixed` or `report: threshold`',
    });
  }
  if (
    (spec.kind === 'window' || spec.kind === 'counter') &&
    spec.count_distinct !== undefined &&
    spec.distinct !== undefined
  ) {
    issues.push({
      path: ['count_distinct'],
      message: '`count_distinct` and `distinct` do not combine',
      hint: 'keep one of them',
    });
  }

  let entityType = spec.entity?.type;
  let entityField = spec.entity?.field;
  if (entityType === undefined) {
    const first = groupBy[0];
    entityType = first === undefined ? undefined : ENTITY_BY_FIELD[first];
    if (entityType === undefined) {
      issues.push({
        path: ['entity'],
        message: 'cannot tell what the detection is about',
        hint: 'add `entity: { type: ip, field: source.ip }` (or group_by source.ip)',
      });
    } else entityField ??= first;
  }

  let explainText = spec.explain ?? defaultExplain(p);
  if (spec.explain === undefined) explainText = `${spec.description.replace(/[{}]/g, '')}: ${explainText}`;
  const parsed = parseExplainTemplate(explainText);
  if (parsed.error)
    issues.push({ path: ['explain'], message: parsed.error, hint: `placeholders: ${EXPLAIN_PLACEHOLDERS}` });

  const labels: Record<string, string> = {};
  const labelTemplates: Record<string, ExplainTemplate> = {};
  for (const [name, value] of Object.entries(spec.labels ?? {})) {
    const t = parseExplainTemplate(value);
    if (t.error)
      issues.push({ path: ['labels', name], message: t.error, hint: `placeholders: ${EXPLAIN_PLACEHOLDERS}` });
    else if (t.template && !isPlainText(t.template)) labelTemplates[name] = t.template;
    else labels[name] = value;
  }
  // `{matched:f}` names the list entry the event matched on f: without a list on f it would
  // always print `-`, so say so at load time (once the filter compiles, to know its lists).
  const listFields = new Set(filter.filter?.lists.map((l) => l.field));
  const checkMatched = (at: (string | number)[], t: ExplainTemplate) => {
    for (const field of matchedFields(t)) {
      if (!listFields.has(field))
        issues.push({
          path: at,
          message: `{matched:${field}} needs a \`${field}|…|in_file\` key in the filter`,
          hint: 'it names the list entry the field matched',
        });
    }
  };
  if (filter.filter) {
    if (parsed.template) checkMatched(['explain'], parsed.template);
    for (const [name, t] of Object.entries(labelTemplates)) checkMatched(['labels', name], t);
  }

  const distinct =
    'distinct' in spec && spec.distinct !== undefined
      ? typeof spec.distinct === 'string'
        ? [spec.distinct]
        : spec.distinct
      : undefined;
  if (
    issues.length > 0 ||
    !filter.filter ||
    (cancel && !cancel.filter) ||
    (followedBy && !followedBy.filter) ||
    !parsed.template ||
    !entityType
  )
    return { issues };

  const remediation: RemediationHint | undefined = spec.decision
    ? { action: spec.decision.action, durationS: spec.decision.duration / 1000, scope: spec.decision.scope }
    : undefined;
  const explain: ExplainTemplate = parsed.template;
  const scenario: Scenario = {
    name: spec.name,
    description: spec.description,
    params: p,
    filter: filter.filter,
    ...(cancel?.filter ? { cancelOn: cancel.filter } : {}),
    ...(followedBy?.filter ? { followedBy: followedBy.filter } : {}),
    groupBy,
    ...(spec.group_default === undefined ? {} : { groupDefault: spec.group_default }),
    ...(distinct ? { distinct } : {}),
    blackholeMs: spec.blackhole ?? 0,
    entity: entityField === undefined ? { type: entityType } : { type: entityType, field: entityField },
    techniques: spec.techniques,
    severity: spec.severity,
    confidence: spec.confidence,
    ...(remediation ? { remediation } : {}),
    labels,
    ...(Object.keys(labelTemplates).length > 0 ? { labelTemplates } : {}),
    explain,
    maxBuckets: spec.max_buckets,
    source: { file: ctx.file, line: ctx.line },
  };
  return { scenario, issues };
}
