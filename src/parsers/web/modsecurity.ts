import type { EcsEvent } from '../../core/event.js';
import { TYPE_DENIED } from '../shared/stream.js';

/** The engines that write this record: ModSecurity, and Coraza (its Go port, in Caddy and others). */
export type WafProduct = 'ModSecurity' | 'Coraza';
/** ModSecurity's severities by number (nginx's connector logs only the number). */
const SEVERITY_NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/**
 * A ModSecurity (v2 in Apache, v3 through the nginx connector) rule match in an error-log
 * message:
 *
 *   ModSecurity: Warning. Matched "Operator `Ge' ..." (Value: `8' ) [file "...949-BLOCKING-EVALUATION.conf"]
 *   [line "79"] [id "949110"] [rev ""] [msg "Inbound Anomaly Score Exceeded (Total Score: 8)"]
 *   [data ""] [severity "2"] ... [hostname "10.0.4.41"] [uri "/.env"] [unique_id "..."]
 *   ModSecurity: Access denied with code 403 (phase 2). ...
 *
 * The matched text and `[data]` quote the request, so the tags are read after `[file "`, the
 * first field ModSecurity writes itself, and each only once: a request can at worst make its
 * own match read as another rule, never move the client address (the error log's own field).
 * Coraza writes the same record (`Coraza: Warning. ...`). Returns false when the message is not
 * such a match.
 */
export function fillModSecurity(msg: string, ev: EcsEvent, product: WafProduct = 'ModSecurity'): boolean {
  const mark = `${product}: `;
  const at = msg.indexOf(mark);
  if (at < 0 || at > 64) return false;
  let text = msg.slice(at + mark.length);
  let tags: Map<string, string>;
  if (text.startsWith('[file "') || text.startsWith(' [file "')) {
    // Older 2.x builds (CRS 2.2, Atomicorp's rules) write the rule's own tags first and the
    // verdict after them, before the match text that quotes the request.
    const read = readTags(text, 0);
    tags = read.tags;
    text = text.slice(read.end).trimStart();
  } else tags = new Map();
  const denied = text.startsWith('Access denied');
  if (!denied && !text.startsWith('Warning.')) return false;
  if (tags.size === 0) tags = readTags(text, text.indexOf(' [file "')).tags;
  const id = tags.get('id');
  const name = tags.get('msg');
  const severity = tags.get('severity');
  ev['event.action'] = denied ? 'waf_block' : 'waf_alert';
  ev['event.outcome'] = 'failure';
  if (denied) ev['event.type'] = TYPE_DENIED;
  ev['observer.type'] = 'waf';
  ev['observer.product'] = product;
  if (id !== undefined) ev['rule.id'] = id;
  if (name !== undefined) ev['rule.name'] = name;
  if (severity !== undefined) {
    const n = Number(severity);
    ev['leuko.waf.severity'] =
      Number.isInteger(n) && n >= 0 && n < SEVERITY_NAMES.length ? SEVERITY_NAMES[n]! : severity.toUpperCase();
  }
  return true;
}

/**
 * The `[name "value"]` fields from `at` on, read one after the other (a space between them or
 * not, as CRS 2.2's tag lists run together): ModSecurity escapes `"` and `\\` inside values
 * (`[data "..."]` quotes the request), so a field planted in the request stays inside the value
 * that quotes it. The first value of each name is kept; `end` is where the fields stop.
 */
function readTags(text: string, at: number): { tags: Map<string, string>; end: number } {
  const out = new Map<string, string>();
  let i = at;
  while (i >= 0) {
    const open = text.charCodeAt(i) === 32 ? i + 1 : i;
    if (text.charCodeAt(open) !== 91 /* [ */) break;
    const q = text.indexOf(' "', open + 1);
    if (q < 0 || q - open > 33) break;
    const name = text.slice(open + 1, q);
    let j = q + 2;
    let value = '';
    let closed = false;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \ */ && j + 1 < text.length) {
        value += text[j + 1];
        j += 2;
      } else if (c === 34 /* " */) {
        closed = text.charCodeAt(j + 1) === 93; /* ] */
        break;
      } else {
        value += text[j];
        j++;
      }
    }
    if (!closed) break;
    if (!out.has(name)) out.set(name, value);
    i = j + 2;
  }
  return { tags: out, end: Math.max(i, 0) };
}
