import { type Peer, peerAt, toPortAt } from '../shared/address.js';
import { indexOfText, textPattern } from '../shared/find.js';

const FROM = textPattern(' from ');

/** `HOST[ port N][ ssh2][ [preauth]]` at `start`: what follows the address. */
export interface Tail {
  readonly peer: Peer;
  readonly port: number | undefined;
  /** Index where the address starts. */
  readonly start: number;
  /** Index after the parsed part. */
  readonly end: number;
  /** The rest is only ` [preauth]`/whitespace (or nothing). */
  readonly atEnd: boolean;
  readonly preauth: boolean;
}

/**
 * Parse the address part that sshd prints after ` from `. Only the structure decides what
 * is the address: a single token, optionally ` port N` and ` sshN`.
 */
export function tailAt(m: string, start: number): Tail | undefined {
  let sp = m.indexOf(' ', start);
  if (sp < 0) sp = m.length;
  // "from 1.2.3.4: 11: Bye" (old disconnect format): the colon belongs to the text, unless the
  // address ends with one of its own (`2001:db8:1:2:3::`, zeros last, which the client can choose:
  // cut, no reading would fit but the one a user name holds).
  let peer = peerAt(m, start, sp);
  if (peer === undefined && m.charCodeAt(sp - 1) === 58 && m.charCodeAt(sp) === 32) peer = peerAt(m, start, sp - 1);
  if (peer === undefined) return undefined;
  let j = sp;
  let port: number | undefined;
  if (m.startsWith(' port ', j)) {
    let k = j + 6;
    while (k < m.length && m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
    port = toPortAt(m, j + 6, k);
    if (port === undefined) return undefined;
    j = k;
  }
  if (m.startsWith(' ssh', j)) {
    let k = j + 4;
    while (k < m.length && m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
    if (k === m.length || m.charCodeAt(k) === 32 || m.charCodeAt(k) === 58) j = k;
  }
  let k = j;
  while (m.charCodeAt(k) === 32) k++;
  let preauth = false;
  if (m.startsWith('[preauth]', k)) {
    preauth = true;
    k += 9;
    while (m.charCodeAt(k) === 32) k++;
  }
  return { peer, port, start, end: j, atEnd: k >= m.length, preauth };
}

/** Does the reading end the line, or go on with sshd's own `: info` suffix? */
export function endsOrInfo(m: string, t: Tail): boolean {
  return t.atEnd || m.startsWith(': ', t.end);
}

/**
 * The first ` from ` after `start` whose address part parses (and, with `endOrInfo`, ends the
 * line or goes on with `: info`), among the first 33 that parse: attacker text in the user
 * name can hold fake ones, so the search is bounded.
 */
export function firstFrom(m: string, start: number, endOrInfo: boolean): Tail | undefined {
  let parsed = 0;
  for (let at = indexOfText(m, FROM, start); at >= 0 && parsed <= 32; at = indexOfText(m, FROM, at + 1)) {
    const tail = tailAt(m, at + 6);
    if (tail === undefined) continue;
    if (!endOrInfo || endsOrInfo(m, tail)) return tail;
    parsed++;
  }
  return undefined;
}

/**
 * `... for USER from HOST[ port N][ ssh2][ via X]` read from the end: the tail of the last
 * ` from ` at or after `start - 1`, when it ends the line. The user is `m.slice(start,
 * max(start, tail.start - 6))`.
 */
export function lastFrom(m: string, start: number): Tail | undefined {
  let s = m;
  const via = s.lastIndexOf(' via ');
  if (via > 0 && s.indexOf(' ', via + 5) < 0) s = s.slice(0, via);
  const at = s.lastIndexOf(' from ');
  if (at < start - 1) return undefined;
  const tail = tailAt(s, at + 6);
  return tail === undefined || !tail.atEnd ? undefined : tail;
}

/** The user of a `lastFrom` reading. */
export function userBefore(m: string, start: number, t: Tail): string {
  return m.slice(start, Math.max(start, t.start - 6));
}

/** End of the text without a trailing ` [preauth]` (sshd's own marker). */
export function preauthEnd(m: string): number {
  return m.endsWith(' [preauth]') ? m.length - 10 : m.length;
}
