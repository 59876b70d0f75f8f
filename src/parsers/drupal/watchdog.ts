import type { EcsEvent } from '../../core/event.js';
import { normalizeIp, setSource } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';

/**
 * Drupal's syslog module (watchdog): `BASE_URL|TIMESTAMP|TYPE|ADDR|REQUEST_URI|REFERER|UID|LINK|
 * MESSAGE` under the site's own syslog name. The request URI and the referer are the client's
 * text and may hold `|` themselves, so only the fields before them are read from the left (the
 * address is the fourth), and the message from the record's end: `|UID||Login attempt failed for
 * U.` (`from U.` since Drupal 9), or `Session opened for U.` A URI that fakes a failure before
 * the real message leaves that real message last (fail2ban gh-2742); a user name holding `|` is
 * not read as a failure at all.
 */
const HEAD = /^https?:\/\/[^|\s]*\|\d+\|([\w -]*)\|([0-9A-Fa-f:.]+)\|/;
const FAILED = /\|\d+\|[^|]*\|Login attempt failed (?:for|from) ([^|]*)\.$/;
const OPENED = /\|\d+\|[^|]*\|Session opened for ([^|]*)\.$/;

/** Whether a record of an unknown program is a Drupal watchdog record (a cheap test first). */
export function isDrupalWatchdog(msg: string): boolean {
  return msg.charCodeAt(0) === 104 && msg.startsWith('http') && HEAD.test(msg);
}

/** Fill a watchdog record's fields; its user-type login records become failures or logins. */
export function fillDrupalWatchdog(ev: EcsEvent, msg: string): void {
  const h = HEAD.exec(msg);
  if (h === null) return;
  ev['event.dataset'] = 'drupal';
  ev['leuko.drupal.type'] = h[1]!;
  // Every record names the client of its request.
  const ip = normalizeIp(h[2]!);
  if (ip === undefined) return;
  setSource(ev, ip);
  if (h[1] !== 'user') return;
  const failed = FAILED.exec(msg);
  const opened = failed === null ? OPENED.exec(msg) : null;
  const m = failed ?? opened;
  if (m === null) return;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = failed !== null ? 'web_login_failure' : 'web_login';
  ev['event.outcome'] = failed !== null ? 'failure' : 'success';
  if (m[1]!.length > 0) ev['user.name'] = m[1]!;
}
