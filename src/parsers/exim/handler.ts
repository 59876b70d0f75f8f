import type { EcsEvent } from '../../core/event.js';
import { isHostName, normalizeIp, parsePeer, toPortAt } from '../shared/address.js';
import { AUTHENTICATION, EMAIL, NETWORK, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { messageIdAt } from './native.js';

/** `hostAt` results besides an end index. */
const NOT_HOST = -1;
const AMBIGUOUS = -2;

/** A HELO that Exim's syntax check lets through: a domain-like word or an address literal. */
const PLAIN_HELO = /^(?:[A-Za-z0-9_.-]*|\[(?:IPv6:)?[0-9A-Fa-f:.]+\])$/;
const FORGED_TAIL = /\) \[[0-9A-Fa-f:.]+\]/;

/**
 * Exim's `host_and_ident` at `i`: `[NAME ][(HELO) ][ADDR][:PORT]`. NAME is the reverse name
 * Exim verified forward, HELO is what the client said when it differs, so HELO is the one
 * attacker text before the address: a HELO with brackets, parentheses or spaces (possible
 * only under `helo_accept_junk_hosts`) could forge a `) [ADDR]`, and such a line gives no
 * address (AMBIGUOUS, the line is dropped). Sets source.* and returns the end of the host.
 */
function hostAt(m: string, i: number, ev: EcsEvent): number {
  let j = i;
  let name: string | undefined;
  const c = m.charCodeAt(j);
  if (c !== 40 && c !== 91) {
    const sp = m.indexOf(' ', j);
    if (sp < 0) return NOT_HOST;
    name = m.slice(j, sp);
    if (!isHostName(name)) return NOT_HOST;
    j = sp + 1;
  }
  let helo = false;
  if (m.charCodeAt(j) === 40) {
    // From here on a line that is not in shape may be one the client's HELO bent out of it.
    const close = m.indexOf(')', j);
    if (close < 0 || m.charCodeAt(close + 1) !== 32) return AMBIGUOUS;
    if (!PLAIN_HELO.test(m.slice(j + 1, close))) return AMBIGUOUS;
    helo = true;
    ev['leuko.smtp.helo'] = m.slice(j + 1, close);
    j = close + 2;
  }
  const bad = helo ? AMBIGUOUS : NOT_HOST;
  if (m.charCodeAt(j) !== 91) return bad;
  const close = m.indexOf(']', j);
  if (close < 0) return bad;
  const ip = normalizeIp(m.slice(j + 1, close));
  if (ip === undefined) return bad;
  let end = close + 1;
  let port: number | undefined;
  if (m.charCodeAt(end) === 58) {
    let k = end + 1;
    while (m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
    port = toPortAt(m, end + 1, k);
    if (port !== undefined) end = k;
  }
  // What follows the host is Exim's: a space and a field, a colon, or the end of the line.
  const next = m.charCodeAt(end);
  if (!(Number.isNaN(next) || next === 32 || next === 58)) return bad;
  const after = m.charCodeAt(end + 1);
  if (next === 32 && (after === 40 || after === 91)) return AMBIGUOUS;
  // A HELO that itself held `) [ADDR] ...` leaves the real `) [ADDR]` further on.
  if (helo && FORGED_TAIL.test(m.slice(end))) return AMBIGUOUS;
  ev['source.ip'] = ip;
  if (port !== undefined) ev['source.port'] = port;
  if (name !== undefined) ev['source.domain'] = name;
  return end;
}

/** Index just past the only occurrence of `marker` in `m` from `from`; -1 none, AMBIGUOUS several. */
function onlyAfter(m: string, marker: string, from: number): number {
  const at = m.indexOf(marker, from);
  if (at < 0) return -1;
  return m.indexOf(marker, at + marker.length) >= 0 ? AMBIGUOUS : at + marker.length;
}

/**
 * `[(temporarily )]rejected WHAT[ <ADDR>]: REASON` after the host. WHAT is Exim's: an SMTP
 * command, `EHLO or HELO`, `after DATA`, the connect ACL or local_scan().
 */
const REJECTED =
  /(?:^| )(temporarily )?rejected (RCPT|MAIL|EHLO or HELO|EHLO|HELO|after DATA|DATA|VRFY|EXPN|ETRN|AUTH|STARTTLS|connection in "[a-z_]+" ACL|by local_scan\(\))(?: <([^>]*)>| ([^\s:<>]+@[^\s:<>]+))?[^:]*: ?(.*)$/;
const COMMAND: Record<string, string> = { 'EHLO or HELO': 'EHLO', 'after DATA': 'DATA', 'by local_scan()': 'DATA' };
/**
 * Refusals of a recipient as not existing, in the words of Exim (`Unrouteable address`) and of
 * common configurations: a run of them names mailboxes to find out which exist.
 */
const UNKNOWN_RECIPIENT =
  /^(?:Unrouteable address|(?:unknown|invalid) (?:user|recipient|local[- ]part|mailbox)|no such (?:user|recipient|mailbox|account)|user unknown|recipient unknown|mailbox unavailable)/i;
const SENDER_VERIFY = /^sender verify (fail|defer) for <([^>]*)>(?:: (.*))?$/;
const DROPPED = /^ dropped: too many (syntax or protocol errors|unrecognized commands|nonmail commands)/;
const FROM = / F=(?:<([^>]*)>|([^\s<>]+))/;
/** ` I=[ADDR]:PORT`, the local interface (`+incoming_interface`), between the host and the record. */
const IFACE = /^ I=\[[^\]]*\](?::\d+)?/;
const AUTH_OK = / A=([\w-]+):(\S+)/;

function reject(ev: EcsEvent, permanent: boolean, command: string | undefined, reason: string): void {
  ev['event.category'] = EMAIL;
  ev['event.type'] = TYPE_DENIED;
  ev['event.action'] = 'smtp_reject';
  if (command !== undefined) ev['leuko.smtp.command'] = command;
  ev['leuko.smtp.permanent'] = permanent;
  const code = /^(\d{3})[ -]/.exec(reason);
  if (code !== null) ev['leuko.smtp.code'] = Number(code[1]);
  if (reason.length > 0) ev['event.reason'] = reason;
  ev['event.outcome'] = 'failure';
}

/** The record of a session line after its host (`rest` starts just past it). */
function session(ev: EcsEvent, m: string, rest: string): void {
  const sv = SENDER_VERIFY.exec(rest.startsWith(' ') ? rest.slice(1) : rest);
  if (sv !== null) {
    ev['event.category'] = EMAIL;
    ev['event.action'] = 'smtp_sender_verify_failure';
    ev['email.from.address'] = sv[2]!;
    if (sv[3] !== undefined) ev['event.reason'] = sv[3];
    // `defer`: the sender's domain did not answer; the client will be asked to retry.
    ev['leuko.smtp.permanent'] = sv[1] === 'fail';
    if (sv[1] === 'fail') {
      ev['event.type'] = TYPE_DENIED;
      ev['event.outcome'] = 'failure';
    }
    return;
  }
  const r = REJECTED.exec(rest);
  if (r !== null) {
    const what = r[2]!;
    const command = what.startsWith('connection') ? undefined : (COMMAND[what] ?? what);
    const reason = r[5]!;
    reject(ev, r[1] === undefined, command, reason);
    const to = r[3] ?? r[4];
    if (command === 'RCPT' && to !== undefined) {
      ev['email.to.address'] = to;
      if (r[1] === undefined && UNKNOWN_RECIPIENT.test(reason.replace(/^\d{3}[ -](?:\d\.\d+\.\d+ )?/, '')))
        ev['event.action'] = 'smtp_unknown_recipient';
    }
    const from = FROM.exec(m);
    if (from !== null) ev['email.from.address'] = from[1] ?? from[2]!;
  }
}

/** The text after a host with its ` I=` field left out. */
function afterIface(rest: string): string {
  const i = IFACE.exec(rest);
  return i === null ? rest : rest.slice(i[0].length);
}

/** `NAME authenticator failed for HOST: 535 Incorrect authentication data (set_id=USER)`. */
function authFailure(ev: EcsEvent, m: string, at: number): boolean {
  const end = hostAt(m, at, ev);
  if (end === AMBIGUOUS) return false;
  if (end < 0) return true;
  const tail = afterIface(m.slice(end));
  const code = /^: (\d{3})[ -]/.exec(tail);
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'smtp_auth_failure';
  ev['leuko.smtp.authenticator'] = m.slice(0, m.indexOf(' '));
  let reason = code === null ? tail.replace(/^: ?/, '') : tail.slice(6);
  const set = reason.lastIndexOf(' (set_id=');
  if (set >= 0 && reason.endsWith(')')) {
    ev['user.name'] = reason.slice(set + 9, -1);
    reason = reason.slice(0, set);
  }
  if (code !== null) ev['leuko.smtp.code'] = Number(code[1]);
  if (reason.length > 0) ev['event.reason'] = reason;
  // A 4xx (`435 Unable to authenticate at present`) is the server's fault, not the client's.
  ev['event.outcome'] = code === null || code[1]!.startsWith('5') ? 'failure' : 'unknown';
  return true;
}

/** Sets the host at `at` or says why not: false drops the line (ambiguous address). */
function hostOrDrop(ev: EcsEvent, m: string, at: number): number | false {
  if (at === AMBIGUOUS) return false;
  if (at < 0) return -1;
  const end = hostAt(m, at, ev);
  return end === AMBIGUOUS ? false : end;
}

/**
 * Reads Exim's mainlog message (after its timestamp and pid) into `ev`. The client address is
 * only ever read from Exim's own host field at a place fixed by the message's structure, never
 * found by searching text the client wrote (HELO, addresses, commands, rejection texts).
 * Deliveries (`=>`, `->`, `**`, `==`) name the remote server Exim sent to, not a client: no
 * source. Returns false when a line's address is ambiguous.
 */
export function fillExim(msg: string, ev: EcsEvent): boolean {
  ev['event.dataset'] = 'exim';
  const idLen = messageIdAt(msg, 0);
  const m = idLen > 0 ? msg.slice(idLen) : msg;
  if (m.startsWith('H=')) {
    const end = hostOrDrop(ev, m, 2);
    if (end === false) return false;
    if (end >= 0) session(ev, m, m.slice(end));
    return true;
  }
  if (idLen > 0) {
    // `<= SENDER H=HOST ... A=AUTH:USER`, and `F=<SENDER> H=HOST P=... rejected by local_scan()`:
    // the sender, written by the client, comes before the host, so the host must be the only one.
    if (m.startsWith('<= ')) {
      const end = hostOrDrop(ev, m, onlyAfter(m, ' H=', 3));
      if (end === false) return false;
      if (end < 0) return true;
      // A= comes before the size (S=) and the client's Message-ID (id=); a TLS peer DN=, the
      // client certificate's text, may come before it too, and then the line says no login.
      const size = m.indexOf(' S=', end);
      const fields = m.slice(end, size < 0 ? m.length : size);
      const auth = fields.includes(' DN=') ? null : AUTH_OK.exec(fields);
      ev['event.category'] = auth === null ? EMAIL : AUTHENTICATION;
      ev['event.action'] = auth === null ? 'smtp_client' : 'smtp_auth_success';
      if (auth !== null) {
        ev['event.outcome'] = 'success';
        ev['leuko.smtp.authenticator'] = auth[1]!;
        ev['user.name'] = auth[2]!;
      }
      return true;
    }
    if (m.startsWith('F=')) {
      const end = hostOrDrop(ev, m, onlyAfter(m, ' H=', 2));
      if (end === false) return false;
      if (end >= 0) session(ev, m, m.slice(end));
      return true;
    }
    if (m.startsWith('SA: Action: ')) return spamAssassin(ev, m);
  }
  const auth = m.indexOf(' authenticator failed for ');
  if (auth > 0 && auth < 40 && m.lastIndexOf(' ', auth - 1) < 0) return authFailure(ev, m, auth + 26);
  if (m.startsWith('SMTP ')) return smtpSession(ev, m);
  if (m.startsWith('no MAIL in SMTP connection from ')) {
    // A client that left without sending mail: scanners do, and so do monitoring probes and
    // senders whose TLS failed. Recorded, not a failure.
    const end = hostOrDrop(ev, m, 32);
    if (end === false) return false;
    if (end >= 0) {
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'smtp_no_mail';
    }
    return true;
  }
  if (m.startsWith('no IP address found for host ')) {
    // The client's reverse name does not resolve back: as common as the above, and the name
    // is the client's own DNS, so the address is the one after its last `from [`.
    const at = m.lastIndexOf(' (during SMTP connection from [');
    const ip = at < 0 || !m.endsWith('])') ? undefined : normalizeIp(m.slice(at + 31, -2));
    if (ip !== undefined) {
      ev['source.ip'] = ip;
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'smtp_no_host_name';
    }
    return true;
  }
  if (m.startsWith('no host name found for IP address ')) {
    // Logged for every client without reverse DNS, so for much legitimate mail: not a refusal.
    const ip = normalizeIp(m.slice(34));
    if (ip !== undefined) {
      ev['source.ip'] = ip;
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'smtp_no_host_name';
    }
    return true;
  }
  return true;
}

/** `SMTP call from HOST dropped: ...`, `SMTP protocol synchronization error`, `SMTP protocol error in`. */
function smtpSession(ev: EcsEvent, m: string): boolean {
  if (m.startsWith('SMTP call from ') || m.startsWith('SMTP connection from ')) {
    const end = hostOrDrop(ev, m, m.charCodeAt(5) === 99 && m.charCodeAt(6) === 97 ? 15 : 21);
    if (end === false) return false;
    if (end < 0) return true;
    const rest = afterIface(m.slice(end));
    const drop = DROPPED.exec(rest);
    if (drop !== null) {
      ev['event.category'] = EMAIL;
      ev['event.action'] = drop[1] === 'nonmail commands' ? 'smtp_too_many_nonmail_commands' : 'smtp_too_many_errors';
      ev['event.outcome'] = 'failure';
      const last = /\(last (?:command )?was "(.*)"\)$/.exec(rest);
      if (last !== null) ev['leuko.smtp.command'] = last[1]!.split(' ')[0]!.toUpperCase();
    } else if (rest.startsWith(' closed by DROP in ACL')) reject(ev, true, undefined, 'closed by DROP in ACL');
    else if (rest.startsWith(' lost')) {
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'smtp_lost_connection';
    }
    return true;
  }
  if (m.startsWith('SMTP protocol synchronization error (')) {
    // `(WHY): rejected connection from H=HOST ...`: only Exim's words before the host. Or
    // `(WHY): rejected "CMD" H=HOST ... next input="..."`: the client's text on both sides of
    // the host, so it must be the only one.
    const conn = m.indexOf('): rejected connection from H=');
    const at = conn > 0 ? conn + 30 : onlyAfter(m, '" H=', 0);
    const end = hostOrDrop(ev, m, at);
    if (end === false) return false;
    if (end >= 0) {
      ev['event.category'] = EMAIL;
      // Postfix's name for the same thing: a client that does not wait for the server's turn.
      ev['event.action'] = 'smtp_improper_command_pipelining';
      ev['event.outcome'] = 'failure';
    }
    return true;
  }
  if (m.startsWith('SMTP protocol error in "')) {
    // `SMTP protocol error in "CMD" H=HOST REASON`: the client's command comes first and Exim's
    // reason last, so the host follows the last `" H=`.
    const q = m.lastIndexOf('" H=');
    const end = hostOrDrop(ev, m, q < 0 ? -1 : q + 4);
    if (end === false) return false;
    if (end >= 0) {
      ev['event.category'] = EMAIL;
      ev['event.action'] = 'smtp_protocol_error';
      ev['event.outcome'] = 'failure';
      const reason = afterIface(m.slice(end)).trim();
      if (reason.length > 0) ev['event.reason'] = reason;
      const cmd = /^SMTP protocol error in "([A-Za-z]+)/.exec(m);
      if (cmd !== null) ev['leuko.smtp.command'] = cmd[1]!.toUpperCase();
    }
    return true;
  }
  return true;
}

/**
 * sa-exim: `SA: Action: WHAT: score=... (... | Message-Id: ID). From <SENDER> (host=NAME [ADDR]) for RCPTS`.
 * The message id, sender and recipients are the client's, so `(host=` must occur once.
 */
function spamAssassin(ev: EcsEvent, m: string): boolean {
  const at = onlyAfter(m, ' (host=', 12);
  if (at === AMBIGUOUS) return false;
  if (at < 0) return true;
  const open = m.indexOf(' [', at);
  const close = open < 0 ? -1 : m.indexOf(']) for', open);
  if (close < 0) return true;
  const peer = parsePeer(m.slice(open + 2, close));
  if (peer === undefined || !('ip' in peer)) return true;
  ev['source.ip'] = peer.ip;
  ev['event.category'] = EMAIL;
  ev['event.action'] = 'smtp_spam';
  const what = m.slice(12, m.indexOf(':', 12));
  ev['event.reason'] = what;
  // Refused or dropped as spam; `flagged as Spam but accepted` was delivered.
  if (/^(?:silently tossed|permanently rejected|rejected)/.test(what)) ev['event.outcome'] = 'failure';
  return true;
}

/** exim / exim4 lines of syslog: the same messages behind a syslog envelope. */
export function createEximHandler(): ProgramHandler {
  return (env, ev) => fillExim(env.msg, ev);
}
