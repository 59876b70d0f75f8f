import type { EcsEvent } from '../../core/event.js';
import { parsePeer, toPort } from '../shared/address.js';
import { AUTHENTICATION, EMAIL, NETWORK, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * `NAME[ADDR]` (postfix's client): NAME is the verified reverse name or `unknown`, which
 * postfix validates, so the first bracket after it is the address. Returns [peerSet, end].
 */
function client(msg: string, start: number, ev: EcsEvent): number {
  const open = msg.indexOf('[', start);
  if (open < 0) return -1;
  const name = msg.slice(start, open);
  if (name.indexOf(' ') >= 0) return -1;
  const close = msg.indexOf(']', open);
  if (close < 0) return -1;
  const peer = parsePeer(msg.slice(open + 1, close));
  if (peer === undefined) return -1;
  if ('ip' in peer) ev['source.ip'] = peer.ip;
  else ev['source.address'] = peer.address;
  if (name.length > 0 && name !== 'unknown') ev['source.domain'] = name;
  let end = close + 1;
  if (msg.charCodeAt(end) === 58) {
    let k = end + 1;
    while (msg.charCodeAt(k) >= 48 && msg.charCodeAt(k) <= 57) k++;
    const port = toPort(msg.slice(end + 1, k));
    if (port !== undefined) {
      ev['source.port'] = port;
      end = k;
    }
  }
  return end;
}

/**
 * `QUEUEID: client=NAME[ADDR], sasl_method=M, sasl_username=USER[, sasl_sender=...]`: a client
 * that authenticated. The user name is the account postfix accepted, so only a real account.
 */
const SASL_LOGIN = /^, sasl_method=([A-Za-z0-9-]+), sasl_username=(.+?)(?:, sasl_sender=.*)?$/;
const SASL = /^: SASL ([A-Za-z0-9-]+) authentication failed(?::\s*(.*))?$/;
/** Failures of the auth service itself, not of the client's credentials. */
const NOT_CLIENT_FAULT = /^(?:Connection lost to authentication server|Invalid authentication mechanism)/;

/**
 * Postfix's words for a recipient it has no mailbox for (local, virtual, relay recipient tables,
 * or `unknown_local_recipient_reject_code` and friends).
 */
const UNKNOWN_RECIPIENT =
  /^Recipient address rejected: (?:User unknown\b|undeliverable address: (?:unknown user|host \S+ said: 550))/;
/** `; from=<a@b> to=<c@d>` after the reason (the client's own text, kept for distinct counts). */
const ENVELOPE = /; from=<([^>]{0,320})> to=<([^>]{0,320})>/;

/** `: 554 5.7.1 ` after the client: the reply code and, when present, the enhanced status code. */
const REJECT_CODE = /^: (\d{3})[ -](?:\d\.\d{1,3}\.\d{1,3} )?/;

/**
 * The reject's reason as postfix words it (`Relay access denied`, `Recipient address rejected:
 * User unknown in local recipient table`), after the `<address>: ` it concerns and before the
 * `; from=<...>` envelope. The address is the client's own text: at worst it makes the client's
 * own reject read as another kind of reject, never moves the address the event is about.
 */
function rejectReason(rest: string, at: number): string | undefined {
  let end = rest.indexOf('; from=<', at);
  if (end < 0) end = rest.indexOf('; proto=', at);
  if (end < 0) end = rest.length;
  let start = at;
  // The last `>: ` before the envelope: an address written with `>: ` inside stays in front of it.
  if (rest.charCodeAt(start) === 60 /* < */) {
    const close = rest.lastIndexOf('>: ', end);
    if (close < start) return undefined;
    start = close + 3;
  }
  const reason = rest.slice(start, end).trim();
  return reason.length > 0 && reason.length <= 300 ? reason : undefined;
}

/** postfix smtpd/postscreen: SASL failures, rejects, pipelining and error limits. */
export function createPostfixHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'postfix';
    const m = env.msg;
    if (m.startsWith('warning: ')) {
      // A client that speaks something else to the SMTP port (HTTP, a scanner's probe).
      if (m.startsWith('non-SMTP command from ', 9)) {
        if (client(m, 9 + 22, ev) < 0) return true;
        ev['event.category'] = EMAIL;
        ev['event.action'] = 'smtp_non_smtp_command';
        ev['event.outcome'] = 'failure';
        return true;
      }
      const end = client(m, 9, ev);
      if (end < 0) return true;
      const s = SASL.exec(m.slice(end));
      if (s !== null) {
        ev['event.category'] = AUTHENTICATION;
        ev['event.action'] = 'smtp_auth_failure';
        ev['leuko.smtp.sasl_method'] = s[1]!.toUpperCase();
        const reason = s[2] ?? '';
        if (reason.length > 0) ev['event.reason'] = reason;
        ev['event.outcome'] = NOT_CLIENT_FAULT.test(reason) ? 'unknown' : 'failure';
      }
      return true;
    }
    const rej = /^(?:NOQUEUE|[0-9A-Za-z]+): (?:milter-)?reject: ([A-Z]+) from /.exec(m);
    if (rej !== null) {
      const end = client(m, rej[0].length, ev);
      if (end < 0) return true;
      const rest = m.slice(end);
      const code = REJECT_CODE.exec(rest);
      ev['event.category'] = EMAIL;
      ev['event.type'] = TYPE_DENIED;
      ev['event.action'] = 'smtp_reject';
      ev['leuko.smtp.command'] = rej[1]!;
      if (code !== null) {
        const n = Number(code[1]);
        ev['leuko.smtp.code'] = n;
        const reason = rejectReason(rest, code[0].length);
        if (reason !== undefined) ev['event.reason'] = reason;
        // A mailbox that does not exist, refused for good: one step of a directory harvest.
        if (n >= 500 && rej[1] === 'RCPT' && reason !== undefined && UNKNOWN_RECIPIENT.test(reason))
          ev['event.action'] = 'smtp_unknown_recipient';
      }
      const envelope = ENVELOPE.exec(rest);
      if (envelope !== null) {
        if (envelope[1] !== '') ev['email.from.address'] = envelope[1]!;
        if (envelope[2] !== '') ev['email.to.address'] = envelope[2]!;
      }
      ev['event.outcome'] = 'failure';
      return true;
    }
    const after = /^(improper command pipelining|too many errors|lost connection|timeout) after ([A-Z]+) from /.exec(m);
    if (after !== null) {
      if (client(m, after[0].length, ev) < 0) return true;
      ev['event.category'] = EMAIL;
      ev['leuko.smtp.command'] = after[2]!;
      const kind = after[1]!;
      ev['event.action'] = `smtp_${kind.replace(/ /g, '_')}`;
      // A lost connection or timeout is what networks do; the others are client misbehaviour.
      if (kind === 'improper command pipelining' || kind === 'too many errors') ev['event.outcome'] = 'failure';
      return true;
    }
    const screen =
      /^(PREGREET \d+ after \S+ from|HANGUP after \S+ from|COMMAND (?:TIME|COUNT|LENGTH) LIMIT from|DNSBL rank \d+ for) \[/.exec(
        m,
      );
    if (screen !== null) {
      const open = screen[0].length - 1;
      const close = m.indexOf(']', open);
      const peer = close > open ? parsePeer(m.slice(open + 1, close)) : undefined;
      if (peer !== undefined) {
        if ('ip' in peer) ev['source.ip'] = peer.ip;
        else ev['source.address'] = peer.address;
        ev['event.category'] = NETWORK;
        ev['event.action'] = 'smtp_postscreen';
      }
      return true;
    }
    const queued = /^[0-9A-Za-z]+: client=/.exec(m);
    if (queued !== null) {
      const end = client(m, queued[0].length, ev);
      if (end < 0) return true;
      const login = SASL_LOGIN.exec(m.slice(end));
      ev['event.category'] = login === null ? EMAIL : AUTHENTICATION;
      ev['event.action'] = login === null ? 'smtp_client' : 'smtp_auth_success';
      if (login !== null) {
        ev['event.outcome'] = 'success';
        ev['leuko.smtp.sasl_method'] = login[1]!.toUpperCase();
        ev['user.name'] = login[2]!;
      }
      return true;
    }
    const disc = /^disconnect from /.exec(m);
    if (disc !== null) {
      const end = client(m, 16, ev);
      if (end < 0) return true;
      ev['event.category'] = EMAIL;
      ev['event.action'] = 'smtp_disconnect';
      const auth = / auth=(\d+)\/(\d+)/.exec(m.slice(end));
      if (auth !== null && Number(auth[2]) > Number(auth[1]))
        ev['leuko.smtp.auth_failures'] = Number(auth[2]) - Number(auth[1]);
      return true;
    }
    const conn = /^connect from /.exec(m);
    if (conn !== null && client(m, 13, ev) >= 0) {
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'smtp_connection';
    }
    return true;
  };
}
