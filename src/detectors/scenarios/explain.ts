import { formatDurationS } from '../../core/duration.js';
import type { EcsEvent } from '../../core/event.js';
import { fieldString } from '../../core/event.js';
import type { KindParams } from './types.js';

/**
 * A scenario's `explain:` text with placeholders filled from the bucket that fired, so a person
 * reads the actual numbers: "6 failed ssh logins from 203.0.113.9 for 4 distinct users in 38 s".
 *
 * Placeholders: {count} {key} {span} {capacity} {leakspeed} {window} {threshold} {blackhole}
 * {min_events} {interval} {sources}, and per field {distinct:user.name} (how many values),
 * {values:user.name} (up to 5 of them), {last:url.original} (value in the event that fired),
 * {matched:url.original} (label of the `|in_file` list entry that value matched, e.g. the CVE of
 * an exploit signature). Scenario labels take the same placeholders.
 */
const SIMPLE = [
  'count',
  'key',
  'span',
  'capacity',
  'leakspeed',
  'window',
  'threshold',
  'blackhole',
  'min_events',
  'interval',
  'sources',
] as const;
const FIELD = ['distinct', 'values', 'last', 'matched'] as const;
const LAST_CAP = 200;
type SimpleName = (typeof SIMPLE)[number];
type FieldName = (typeof FIELD)[number];
type Part = string | { readonly name: SimpleName } | { readonly name: FieldName; readonly field: string };

export interface ExplainTemplate {
  readonly parts: readonly Part[];
  /** Fields whose distinct values buckets must keep for the text. */
  readonly trackedFields: readonly string[];
}

export const EXPLAIN_PLACEHOLDERS = [...SIMPLE, ...FIELD.map((f) => `${f}:<field>`)].join(', ');

export function parseExplainTemplate(text: string): { template?: ExplainTemplate; error?: string } {
  const parts: Part[] = [];
  const tracked = new Set<string>();
  const re = /\{([a-z_]+)(?::([^{}\s]+))?\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    last = re.lastIndex;
    const name = m[1]!;
    const field = m[2];
    if (field === undefined && (SIMPLE as readonly string[]).includes(name)) parts.push({ name: name as SimpleName });
    else if (field !== undefined && (FIELD as readonly string[]).includes(name)) {
      parts.push({ name: name as FieldName, field });
      if (name === 'distinct' || name === 'values') tracked.add(field);
    } else return { error: `unknown placeholder {${m[1]}${field === undefined ? '' : `:${field}`}}` };
  }
  if (last < text.length) parts.push(text.slice(last));
  return { template: { parts, trackedFields: [...tracked] } };
}

/** Fields named by `{matched:<field>}` placeholders: each needs an `|in_file` key in the filter. */
export function matchedFields(tpl: ExplainTemplate): string[] {
  const out: string[] = [];
  for (const p of tpl.parts)
    if (typeof p !== 'string' && p.name === 'matched') out.push((p as { field: string }).field);
  return out;
}

/** True when the template is plain text, with no placeholder to fill. */
export function isPlainText(tpl: ExplainTemplate): boolean {
  return tpl.parts.every((p) => typeof p === 'string');
}

export interface ExplainVars {
  readonly count: number;
  readonly key: string;
  readonly spanMs: number;
  readonly params: KindParams;
  readonly blackholeMs: number;
  readonly tracked: Readonly<Record<string, readonly string[]>>;
  readonly trackedCap: number;
  readonly event: EcsEvent;
  readonly sources: number;
  /** Label of the list entry `event` matched on `field` (see matched-entry.ts). */
  readonly matched?: (field: string, event: EcsEvent) => string | undefined;
}

/** Short human duration: `38 s` under two minutes, `1h20m` above. */
export function formatSpan(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  return formatDurationS(s);
}

function dur(ms: number): string {
  return formatDurationS(ms / 1000) || '0s';
}

function simpleValue(name: SimpleName, v: ExplainVars): string {
  const p = v.params;
  switch (name) {
    case 'count':
      return String(v.count);
    case 'key':
      return v.key;
    case 'span':
      return formatSpan(v.spanMs);
    case 'capacity':
      return p.kind === 'leaky' ? String(p.capacity) : '';
    case 'leakspeed':
      return p.kind === 'leaky' ? dur(p.leakMs) : '';
    case 'window':
      return p.kind === 'window' || p.kind === 'distributed' || p.kind === 'sequence'
        ? dur(p.windowMs)
        : p.kind === 'cadence'
          ? dur(p.idleMs)
          : '';
    case 'threshold':
      return p.kind === 'window' || p.kind === 'distributed' || p.kind === 'sequence'
        ? String(p.threshold)
        : p.kind === 'cadence'
          ? String(p.minEvents)
          : '';
    case 'blackhole':
      return dur(v.blackholeMs);
    case 'min_events':
      return p.kind === 'cadence' ? String(p.minEvents) : '';
    case 'interval':
      return p.kind === 'cadence' ? dur(p.minMedianIntervalMs) : '';
    case 'sources':
      return String(v.sources);
  }
}

/** Placeholders whose text depends only on the scenario, not on the bucket that fired. */
const STATIC: ReadonlySet<string> = new Set([
  'capacity',
  'leakspeed',
  'window',
  'threshold',
  'blackhole',
  'min_events',
  'interval',
]);

/**
 * The template with the scenario-only placeholders already written out, so firing renders only
 * what depends on the bucket. Rendering the bound template gives the same text as the original.
 */
export function bindExplain(tpl: ExplainTemplate, params: KindParams, blackholeMs: number): ExplainTemplate {
  const vars: ExplainVars = {
    count: 0,
    key: '',
    spanMs: 0,
    params,
    blackholeMs,
    tracked: {},
    trackedCap: 0,
    event: { '@timestamp': '', message: '', 'event.kind': 'event' },
    sources: 0,
  };
  const parts: Part[] = [];
  for (const part of tpl.parts) {
    const text =
      typeof part === 'string' ? part : STATIC.has(part.name) ? simpleValue(part.name as SimpleName, vars) : undefined;
    const prev = parts[parts.length - 1];
    if (text === undefined) parts.push(part);
    else if (typeof prev === 'string') parts[parts.length - 1] = prev + text;
    else parts.push(text);
  }
  return { parts, trackedFields: tpl.trackedFields };
}

export function renderExplain(tpl: ExplainTemplate, v: ExplainVars): string {
  // Pieces joined at the end: one flat string, where `+=` would leave a tree of pieces in every
  // detection a replay or an incident keeps.
  const out: string[] = [];
  for (const part of tpl.parts) {
    if (typeof part === 'string') out.push(part);
    else if (part.name === 'distinct' || part.name === 'values' || part.name === 'last' || part.name === 'matched') {
      const field = (part as { field: string }).field;
      if (part.name === 'last' || part.name === 'matched') {
        // Attacker-controlled text: keep it short in a sentence meant for a person.
        const val = (part.name === 'last' ? fieldString(v.event, field) : v.matched?.(field, v.event)) ?? '-';
        out.push(val.length > LAST_CAP ? `${val.slice(0, LAST_CAP)}…` : val);
      } else {
        const vals = v.tracked[field] ?? [];
        if (part.name === 'distinct') out.push(vals.length >= v.trackedCap ? `${vals.length}+` : String(vals.length));
        else
          out.push(vals.length <= 5 ? vals.join(', ') : `${vals.slice(0, 5).join(', ')} and ${vals.length - 5} more`);
      }
    } else out.push(simpleValue(part.name, v));
  }
  return out.join('');
}
