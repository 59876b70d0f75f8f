import { systemClock } from '../core/clock.js';
import type { Detection } from '../core/detection.js';
import type { Incident } from '../core/incident.js';
import { createParser } from '../parsers/index.js';
import type { IndicatorKind } from './types.js';

/** Mainstream browser user agents are shared by millions: never an indicator of one attacker. */
const BROWSER_UA = /^Mozilla\/5\.0 \((?:Windows|Macintosh|X11|Linux|iPhone|iPad)[^)]*\) (?:AppleWebKit|Gecko)\//;
/** Characters that make a query value a payload rather than a search word. */
const PAYLOAD_MARKS = /['"<>;`$]|\.\.\/|%27|%3c|\$\{|union\s|select\s|\bor\s+1=1/i;
const MIN_PAYLOAD = 10;
const MAX_PAYLOAD = 200;

export interface Indicator {
  readonly kind: IndicatorKind;
  readonly value: string;
}

/**
 * What a confirmed incident's evidence carries that identifies its attacker again: the source
 * address (when the incident is about one), distinctive user agents (not mainstream browser
 * strings), payload fragments from request queries (only values that look like payloads, never
 * plain words), and file hashes. Evidence lines are re-parsed with the `auto` parser.
 */
export function extractIndicators(incident: Incident, detections: readonly Detection[]): Indicator[] {
  const out = new Map<string, Indicator>();
  const add = (kind: IndicatorKind, value: string): void => {
    out.set(`${kind}\u0000${value}`, { kind, value });
  };
  if (incident.entity.type === 'ip') add('ip', incident.entity.value);
  const parse = createParser('auto', { clock: systemClock });
  for (const d of detections) {
    for (const e of d.evidence) {
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(e.message);
      } catch {
        continue;
      }
      if (!parsed) continue;
      const ev = parsed.event;
      const ua = ev['user_agent.original'];
      if (typeof ua === 'string' && ua.length >= 8 && ua !== '-' && !BROWSER_UA.test(ua)) add('user_agent', ua);
      const query = ev['url.query'];
      if (typeof query === 'string') {
        for (const part of query.split('&')) {
          const value = part.slice(part.indexOf('=') + 1);
          let decoded = value;
          try {
            decoded = decodeURIComponent(value.replace(/\+/g, ' '));
          } catch {
            // Keep the raw value when it is not valid percent-encoding.
          }
          if (value.length >= MIN_PAYLOAD && PAYLOAD_MARKS.test(decoded))
            add('payload', value.slice(0, MAX_PAYLOAD).toLowerCase());
        }
      }
      for (const f of ['file.hash.sha256', 'file.hash.sha1', 'file.hash.md5']) {
        const h = ev[f];
        if (typeof h === 'string' && /^[0-9a-f]{32,64}$/i.test(h)) add('file_hash', h.toLowerCase());
      }
    }
  }
  return [...out.values()];
}
