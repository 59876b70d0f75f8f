import type { FlatRecord } from './event-view.js';

function isMap(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Flatten nested JSON to dotted keys; arrays of scalars stay arrays (any element may match). */
function flattenInto(out: Record<string, unknown>, prefix: string, obj: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (isMap(v)) flattenInto(out, key, v);
    else out[key] = v;
  }
}

/**
 * Windows event JSON (`{Event: {System, EventData}}`, as evtx converters write it) to Sigma's
 * field names: EventData's names as they are, System's elements by tag name, and XML
 * attributes as `Tag_Attribute` (`Provider_Name`, `Execution_ProcessID`) as the Sigma
 * specification names them.
 */
function flattenWindows(event: Record<string, unknown>, out: Record<string, unknown>): void {
  const system = event.System;
  if (isMap(system)) {
    for (const [tag, v] of Object.entries(system)) {
      if (isMap(v)) {
        const attrs = v['#attributes'];
        if (isMap(attrs)) for (const [a, av] of Object.entries(attrs)) out[`${tag}_${a}`] ??= av;
        if ('#text' in v) out[tag] ??= v['#text'];
      } else out[tag] ??= v;
    }
  }
  for (const part of ['EventData', 'UserData']) {
    const data = event[part];
    if (!isMap(data)) continue;
    // Some converters write `Data: [{ "#attributes": { Name }, "#text": value }, ...]` (or `@Name`).
    const list = data.Data;
    if (Array.isArray(list)) {
      for (const d of list) {
        if (!isMap(d)) continue;
        const attrs = isMap(d['#attributes']) ? d['#attributes'] : {};
        const name = attrs.Name ?? d['@Name'] ?? d.Name;
        if (typeof name === 'string') out[name] = d['#text'] ?? d.text ?? d.Value ?? null;
      }
    }
    for (const [k, v] of Object.entries(data)) {
      if (k === '#attributes' || (k === 'Data' && Array.isArray(v))) continue;
      if (isMap(v)) {
        // UserData wraps its fields in one element named after the event.
        for (const [k2, v2] of Object.entries(v)) if (!isMap(v2) && k2 !== '#attributes') out[k2] ??= v2;
      } else out[k] = v;
    }
  }
}

/**
 * One input event (ECS dotted or nested JSON, or a Windows event) as the flat record rules
 * read. Dotted names stay as given; nested objects also appear under their dotted path.
 */
export function toFlatRecord(doc: Record<string, unknown>): FlatRecord {
  const out: Record<string, unknown> = {};
  flattenInto(out, '', doc);
  const ev = doc.Event;
  if (isMap(ev) && (isMap(ev.System) || isMap(ev.EventData))) flattenWindows(ev, out);
  return out;
}

const TIME_KEYS = ['@timestamp', 'timestamp', 'TimeCreated_SystemTime', 'UtcTime', 'time'];

/** Event time in ms from the usual fields, else `fallback`. */
export function eventTime(rec: FlatRecord, fallback: number): number {
  for (const k of TIME_KEYS) {
    const v = rec[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
    if (typeof v === 'string') {
      const t = Date.parse(/^\d{4}-\d\d-\d\d \d/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
      if (Number.isFinite(t)) return t;
    }
  }
  return fallback;
}
