import type { EcsEvent } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { AUTHENTICATION, EMAIL, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Sendmail's view of the client: `[ADDR]`, or `NAME [ADDR]` with the client's reverse name
 * (text its DNS owner chose), maybe followed by ` (may be forged)`; IPv6 as `[IPv6:...]`.
 * Every pattern below ends at a fixed text right after it, so a name or argument written
 * like a client earlier on the line never takes its place.
 */
const CLIENT = String.raw`(?:(\S*) )?\[(?:IPv6:)?([^\]\s]+)\](?: \(may be forged\))?`;

/** `QUEUEID: ` before most records (14 characters, more with long pids). */
const QUEUE_ID = /^([0-9A-Za-z]{8,24}): /;
const ATTACK = new RegExp(`^${CLIENT}: possible SMTP attack: command=(\\w+), count=(\\d+)$`);
const AUTH_FAILURE = new RegExp(`^AUTH failure \\(([\\w-]+)\\): (.*), relay=${CLIENT}$`);
const RULESET = new RegExp(
  `^ruleset=(check_\\w+), arg1=(.*), relay=${CLIENT}, reject=(\\d{3})(?: \\d\\.\\d{1,3}\\.\\d{1,3})? (.*)$`,
);
const PRE_GREETING = new RegExp(`^rejecting commands from ${CLIENT} due to pre-greeting traffic after \\d+ seconds$`);
const EXPN_VRFY = new RegExp(`^${CLIENT}: (EXPN|VRFY|expn|vrfy) .* \\[rejected\\]$`);
const NO_MAIL = new RegExp(`^${CLIENT} did not issue MAIL/EXPN/VRFY/ETRN during connection to \\S+$`);
const FROM = new RegExp(`^from=<([^>]*)>, size=\\d+, class=-?\\d+, nrcpts=(\\d+), .*relay=${CLIENT}$`);
const NO_SUCH_USER = /^<([^>]*)>\.\.\. (?:No such user here|User unknown)$/;
/** Words of a refused recipient that does not exist. */
const UNKNOWN_RECIPIENT = /\.\.\. (?:User unknown|No such user here)\b/;

/** Queue ids of sessions that named a recipient without a mailbox, with that recipient. */
const MAX_SESSIONS = 4096;

const COMMAND: Record<string, string> = {
  check_rcpt: 'RCPT',
  check_mail: 'MAIL',
  check_relay: 'CONNECT',
  check_compat: 'RCPT',
  check_data: 'DATA',
  check_eoh: 'DATA',
  check_eom: 'DATA',
  check_etrn: 'ETRN',
  check_expn: 'EXPN',
  check_vrfy: 'VRFY',
};

function client(ev: EcsEvent, name: string | undefined, addr: string): void {
  if (setSource(ev, addr) && name !== undefined && name.length > 0 && !name.startsWith('[')) ev['source.domain'] = name;
}

function failed(ev: EcsEvent, action: string): void {
  ev['event.category'] = EMAIL;
  ev['event.type'] = TYPE_DENIED;
  ev['event.action'] = action;
  ev['event.outcome'] = 'failure';
}

/**
 * sendmail (`sm-mta`, `sendmail`, the listener `sm-acceptingconnections`): failed SMTP AUTH,
 * its `possible SMTP attack` limits, ruleset rejects (relaying, unknown senders and users,
 * blocklists, connection rates), pre-greeting traffic, refused EXPN/VRFY, and a session that
 * ends with no recipient after naming only unknown users (one queue id: the `<user>... No such
 * user here` records, then `from=..., nrcpts=0, ..., relay=...`).
 */
export function createSendmailHandler(): ProgramHandler {
  const unknownTo = new Map<string, string>();
  const handler: ProgramHandler = (env, ev) => {
    ev['event.dataset'] = 'sendmail';
    let m = env.msg;
    const qid = QUEUE_ID.exec(m);
    if (qid !== null) m = m.slice(qid[0].length);
    const c = m.charCodeAt(0);
    if (c === 65 /* A */ && m.startsWith('AUTH failure (')) {
      const a = AUTH_FAILURE.exec(m);
      if (a === null) return true;
      client(ev, a[3], a[4]!);
      ev['event.category'] = [...EMAIL, ...AUTHENTICATION];
      ev['event.action'] = 'smtp_auth_failure';
      ev['event.outcome'] = 'failure';
      ev['leuko.smtp.auth_mechanism'] = a[1]!.toUpperCase();
      const user = /(?:^|, )user=([^,]*)/.exec(a[2]!);
      if (user !== null) ev['user.name'] = user[1]!;
      return true;
    }
    if (c === 114 /* r */ && m.startsWith('ruleset=')) {
      // The argument and the reply are the client's text: a second `, relay=` on the line
      // makes it ambiguous, and the line is dropped (as sshd's are).
      if (m.indexOf(', relay=') !== m.lastIndexOf(', relay=')) return false;
      const r = RULESET.exec(m);
      if (r === null) return true;
      const code = Number(r[5]);
      failed(ev, UNKNOWN_RECIPIENT.test(r[6]!) ? 'smtp_unknown_recipient' : 'smtp_reject');
      ev['leuko.smtp.code'] = code;
      ev['leuko.smtp.permanent'] = code >= 500;
      const command = COMMAND[r[1]!];
      if (command !== undefined) ev['leuko.smtp.command'] = command;
      ev['event.reason'] = r[6]!;
      if (r[1] === 'check_rcpt') {
        const to = /^<([^>]*)>$/.exec(r[2]!);
        if (to !== null) ev['email.to.address'] = to[1]!;
      }
      client(ev, r[3], r[4]!);
      return true;
    }
    if (c === 114 && m.startsWith('rejecting commands from ')) {
      const p = PRE_GREETING.exec(m);
      if (p === null) return true;
      client(ev, p[1], p[2]!);
      failed(ev, 'smtp_improper_command_pipelining');
      return true;
    }
    if (c === 102 /* f */ && m.startsWith('from=<')) {
      const f = FROM.exec(m);
      if (f === null) return true;
      client(ev, f[3], f[4]!);
      ev['email.from.address'] = f[1]!;
      const to = qid === null ? undefined : unknownTo.get(qid[1]!);
      if (qid !== null) unknownTo.delete(qid[1]!);
      // A session whose every recipient was unknown: a directory harvest, as fail2ban counts it.
      if (f[2] === '0' && to !== undefined) {
        failed(ev, 'smtp_unknown_recipient');
        ev['email.to.address'] = to;
        ev['leuko.smtp.permanent'] = true;
      }
      return true;
    }
    if (c === 60 /* < */) {
      const u = NO_SUCH_USER.exec(m);
      if (u !== null && qid !== null) {
        unknownTo.delete(qid[1]!);
        unknownTo.set(qid[1]!, u[1]!);
        if (unknownTo.size > MAX_SESSIONS) unknownTo.delete(unknownTo.keys().next().value!);
        ev['email.to.address'] = u[1]!;
      }
      return true;
    }
    const attack = ATTACK.exec(m);
    if (attack !== null) {
      client(ev, attack[1], attack[2]!);
      const command = attack[3]!.toUpperCase();
      ev['leuko.smtp.command'] = command;
      ev['leuko.smtp.count'] = Number(attack[4]);
      if (command === 'AUTH') {
        ev['event.category'] = [...EMAIL, ...AUTHENTICATION];
        ev['event.action'] = 'smtp_auth_failure';
        ev['event.outcome'] = 'failure';
      } else failed(ev, 'smtp_too_many_errors');
      return true;
    }
    const probe = EXPN_VRFY.exec(m);
    if (probe !== null) {
      client(ev, probe[1], probe[2]!);
      failed(ev, 'smtp_reject');
      ev['leuko.smtp.command'] = probe[3]!.toUpperCase();
      ev['leuko.smtp.permanent'] = true;
      return true;
    }
    const idle = NO_MAIL.exec(m);
    if (idle !== null) {
      client(ev, idle[1], idle[2]!);
      ev['event.category'] = EMAIL;
      ev['event.action'] = 'smtp_no_mail';
    }
    return true;
  };
  handler.snapshot = () => (unknownTo.size === 0 ? undefined : [...unknownTo]);
  handler.restore = (state) => {
    if (!Array.isArray(state)) return;
    for (const row of state)
      if (Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'string') unknownTo.set(row[0], row[1]);
  };
  return handler;
}
