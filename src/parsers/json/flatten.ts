import type { EventValue } from '../../core/event.js';

const MAX_DEPTH = 8;
const MAX_FIELDS = 512;

/**
 * Flatten nested JSON (ECS nested objects) into dotted keys, keeping only values an event can
 * hold: strings, finite numbers, booleans, arrays of strings. Bounded in depth and field
 * count so a hostile document cannot blow up memory.
 */
export function flattenJson(obj: Record<string, unknown>): Map<string, EventValue> {
  const out = new Map<string, EventValue>();
  const walk = (o: Record<string, unknown>, prefix: string, depth: number) => {
    for (const k of Object.keys(o)) {
      if (out.size >= MAX_FIELDS) return;
      const v = o[k];
      const key = prefix === '' ? k : `${prefix}.${k}`;
      if (typeof v === 'string' || typeof v === 'boolean') out.set(key, v);
      else if (typeof v === 'number') {
        if (Number.isFinite(v)) out.set(key, v);
      } else if (Array.isArray(v)) {
        if (v.every((x) => typeof x === 'string')) out.set(key, v as string[]);
      } else if (v !== null && typeof v === 'object' && depth < MAX_DEPTH) {
        walk(v as Record<string, unknown>, key, depth + 1);
      }
    }
  };
  walk(obj, '', 0);
  return out;
}
