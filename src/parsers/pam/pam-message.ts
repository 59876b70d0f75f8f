import { type Peer, parsePeer } from '../shared/address.js';
import { indexOfText, type TextPattern, textPattern } from '../shared/find.js';

const TTY = textPattern(' tty=');
const RUSER = textPattern('ruser=');
const RHOST = textPattern(' rhost=');
const LOGNAME = textPattern('logname=');
const UID = textPattern(' uid=');

/** A PAM `authentication failure;` record, as pam_unix and friends log it. */
export interface PamFailure {
  /** `unix`, `sss`, `ldap`... */
  readonly module: string;
  /** PAM service (`sshd`, `su`, `dovecot`...) when logged. */
  readonly service: string | undefined;
  readonly logname: string | undefined;
  readonly tty: string | undefined;
  readonly ruser: string | undefined;
  readonly user: string | undefined;
  /** The rhost as a peer; undefined when empty (local su/sudo). */
  readonly peer: Peer | undefined;
  /**
   * More than one `rhost=` reading fits the record (the attacker-controlled ruser or user
   * holds a fake ` rhost=`): the peers it could be. The caller must not guess.
   */
  readonly ambiguous: readonly Peer[] | undefined;
  /** Legacy `(pam_unix)` prefix (Linux-PAM < 0.99). */
  readonly legacy: boolean;
}

const PREFIX = /^(?:\((pam_[A-Za-z0-9_]+)\)|(pam_[A-Za-z0-9_]+)(?:\(([^)\s]*)\))?):? authentication failure; /;

/**
 * Parse `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=
 * rhost=203.0.113.9  user=root`. pam_unix writes `ruser=%s rhost=%s ` then ` user=%s`:
 * ruser and user are attacker-chosen (login names) and may contain a fake ` rhost=`, so every
 * ` rhost=` after `ruser=` is a candidate and only one whose rhost is a single token followed
 * by the end or by `user=` fits. Several fitting readings are reported as ambiguous.
 */
export function parsePamFailure(msg: string): PamFailure | null {
  // Most PAM lines are something else (`check pass;`, sessions): skip the regex for them.
  if (msg.indexOf(' authentication failure; ') < 0) return null;
  const m = PREFIX.exec(msg);
  if (m === null) return null;
  const legacy = m[1] !== undefined;
  const module = (m[1] ?? m[2] ?? 'pam_unknown').slice(4);
  const svcType = m[3];
  let service: string | undefined;
  if (svcType !== undefined && svcType.length > 0) {
    const colon = svcType.indexOf(':');
    service = colon >= 0 ? svcType.slice(0, colon) : svcType;
    if (service === 'auth' || service === '') service = undefined;
  }
  const body = m[0].length;
  const logname = fieldBefore(msg, body, LOGNAME, UID);
  const ttyAt = indexOfText(msg, TTY, body);
  let tty: string | undefined;
  if (ttyAt >= 0) {
    const end = msg.indexOf(' ', ttyAt + 5);
    tty = msg.slice(ttyAt + 5, end < 0 ? msg.length : end) || undefined;
  }
  const ruserAt = indexOfText(msg, RUSER, ttyAt >= 0 ? ttyAt : body);
  if (ruserAt < 0) {
    return {
      module,
      service,
      logname,
      tty,
      ruser: undefined,
      user: undefined,
      peer: undefined,
      ambiguous: undefined,
      legacy,
    };
  }
  const rStart = ruserAt + 6;
  const fits: { at: number; host: string; user: string | undefined }[] = [];
  for (let at = indexOfText(msg, RHOST, rStart - 1); at >= 0; at = indexOfText(msg, RHOST, at + 1)) {
    const hStart = at + 7;
    let hEnd = msg.indexOf(' ', hStart);
    if (hEnd < 0) hEnd = msg.length;
    const host = msg.slice(hStart, hEnd);
    let j = hEnd;
    while (msg.charCodeAt(j) === 32) j++;
    if (j >= msg.length || msg.startsWith('[preauth]', j)) fits.push({ at, host, user: undefined });
    else if (j > hEnd && msg.startsWith('user=', j)) {
      let u = msg.slice(j + 5);
      if (u.endsWith(' [preauth]')) u = u.slice(0, -10);
      fits.push({ at, host, user: u });
    }
  }
  if (fits.length === 0) {
    return {
      module,
      service,
      logname,
      tty,
      ruser: undefined,
      user: undefined,
      peer: undefined,
      ambiguous: undefined,
      legacy,
    };
  }
  const first = fits[0]!;
  const ruser = msg.slice(rStart, first.at) || undefined;
  if (fits.some((f) => f.host !== first.host)) {
    const peers = fits.map((f) => (f.host === '' ? undefined : parsePeer(f.host)));
    return {
      module,
      service,
      logname,
      tty,
      ruser,
      user: first.user || undefined,
      peer: undefined,
      ambiguous: peers.filter((p): p is Peer => p !== undefined),
      legacy,
    };
  }
  return {
    module,
    service,
    logname,
    tty,
    ruser,
    user: first.user || undefined,
    peer: first.host === '' ? undefined : parsePeer(first.host),
    ambiguous: undefined,
    legacy,
  };
}

function fieldBefore(msg: string, from: number, key: TextPattern, next: TextPattern): string | undefined {
  const at = indexOfText(msg, key, from);
  if (at < 0) return undefined;
  const end = indexOfText(msg, next, at + key.text.length);
  const v = msg.slice(at + key.text.length, end < 0 ? msg.length : end);
  return v.length > 0 ? v : undefined;
}
