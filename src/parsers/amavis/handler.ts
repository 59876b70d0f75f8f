import { setSource } from '../shared/address.js';
import { EMAIL, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * amavisd-new's verdicts on a message it stopped (syslog, program `amavis` or `amavisd`):
 *
 *   (4051607-09) Blocked INFECTED (Eicar-Signature) {DiscardedInbound,Quarantined}, [PEER]:PORT [CLIENT] <FROM> -> <TO>, ...
 *
 * PEER is whoever handed amavis the message (usually the local MTA), CLIENT the host that sent
 * it to that MTA, passed on by Postfix's XFORWARD: the sender of the mail, taken when present,
 * else PEER. The brackets sit between two parts the mail's author writes: the details before
 * them (a BANNED verdict lists the attachments' file names) and the envelope addresses after.
 * So the `{ACTIONS}, [PEER]:PORT [CLIENT] <` run must occur once in the message: a second one
 * (planted in a file name or a sender) leaves the line dropped, never read.
 */
const HEAD = /^\([\w-]+\) Blocked ([A-Z-]+)/;
const ADDRESSES = /\{[A-Za-z,]*\}, (?:LOCAL )?\[([0-9A-Fa-f:.]+)\]:\d{1,5}(?: \[([0-9A-Fa-f:.]+)\])? </g;

export function createAmavisHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'amavis';
    const msg = env.msg;
    if (msg.charCodeAt(0) !== 40 || !msg.includes(') Blocked ')) return true;
    const head = HEAD.exec(msg);
    if (head === null) return true;
    const runs = [...msg.matchAll(ADDRESSES)];
    if (runs.length !== 1) return runs.length === 0;
    const run = runs[0]!;
    if (!setSource(ev, run[2] ?? run[1]!)) return false;
    ev['event.category'] = EMAIL;
    ev['event.type'] = TYPE_DENIED;
    ev['event.action'] = 'mail_blocked';
    // The verdict and what follows it up to the actions: the scanner's name for the malware, or
    // the banned parts (the author's file names: informative only, cut short).
    const details = msg.slice(head[0].length, run.index).trim();
    ev['event.reason'] = details.length === 0 ? head[1]! : `${head[1]} ${details.slice(0, 200)}`;
    // The sender runs to the first `> -> <` (its text is the client's: informative only).
    const from = run.index + run[0].length;
    const end = msg.indexOf('> -> <', from);
    if (end > from && end - from <= 320) ev['email.from.address'] = msg.slice(from, end);
    return true;
  };
}
