import { type Peer, parsePeer, toPort } from '../shared/address.js';

/** `HOST[ port N][ ssh2][ [preauth]]` at `start`: what follows the address. */
export interface Tail {
  readonly peer: Peer;
  readonly port: number | undefined;
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
  let addrEnd = sp;
  // "from 1.2.3.4: 11: Bye" (old disconnect format): the colon belongs to the text.
  if (m.charCodeAt(addrEnd - 1) === 58 && m.charCodeAt(addrEnd) === 32) addrEnd--;
  const peer = parsePeer(m.slice(start, addrEnd));
  if (peer === undefined) return undefined;
  let j = sp;
  let port: number | undefined;
  if (m.startsWith(' port ', j)) {
    let k = j + 6;
    while (k < m.length && m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
    port = toPort(m.slice(j + 6, k));
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
  return { peer, port, end: addrEnd === sp ? j : j, atEnd: k >= m.length, preauth };
}

/** ` [preauth]` and trailing blanks removed; returns [text, preauth]. */
export function stripPreauth(m: string): [string, boolean] {
  const s = m.endsWith(' [preauth]') ? m.slice(0, -10) : m;
  return [s, s.length !== m.length];
}
