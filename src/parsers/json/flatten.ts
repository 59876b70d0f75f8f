import type { EventValue } from '../../core/event.js';

const MAX_DEPTH = 8;
const MAX_FIELDS = 512;

/**
 * Flatten nested JSON (ECS nested objects) into dotted keys, keeping only values an event can
 * hold: strings, finite numbers, booleans, arrays of strings. Bounded in depth and field
 * count so a hostile document cannot blow up memory. A field spelled twice (`source.ip` beside
 * `source: {ip}`) is dropped: a serializer writes one spelling, and in a line templated without
 * escaping the second is the client's text (a user agent `x","source.ip":"203.0.113.9`).
 */
export function flattenJson(obj: Record<string, unknown>): Map<string, EventValue> {
  const out = new Map<string, EventValue>();
  let twice: Set<string> | undefined;
  const set = (key: string, v: EventValue) => {
    if (out.has(key) || twice?.has(key) === true) {
      out.delete(key);
      (twice ??= new Set()).add(key);
    } else out.set(key, v);
  };
  const walk = (o: Record<string, unknown>, prefix: string, depth: number) => {
    for (const k of Object.keys(o)) {
      if (out.size >= MAX_FIELDS) return;
      const v = o[k];
      const key = prefix === '' ? k : `${prefix}.${k}`;
      if (typeof v === 'string' || typeof v === 'boolean') set(key, v);
      else if (typeof v === 'number') {
        if (Number.isFinite(v)) set(key, v);
      } else if (Array.isArray(v)) {
        if (v.every((x) => typeof x === 'string')) set(key, v as string[]);
      } else if (v !== null && typeof v === 'object' && depth < MAX_DEPTH) {
        walk(v as Record<string, unknown>, key, depth + 1);
      }
    }
  };
  walk(obj, '', 0);
  return out;
}
