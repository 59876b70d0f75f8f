import { setSource } from '../shared/address.js';
import { EMAIL, TYPE_DENIED } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/** splogger's stamp before a qmail program's record: `1157520813.485077 `. */
const STAMP = /^\d+\.\d+ /;
/**
 * rblsmtpd turning a blocklisted client away: `rblsmtpd: ADDR pid N[ RBL]: CODE TEXT`, the
 * client (tcpserver's TCPREMOTEIP) first; older builds `RBL blocked ADDR NAME -`.
 */
const RBLSMTPD = /^rblsmtpd: (\S+) pid \d+(?::| \S+:) ([45]\d\d)\b/;
const RBL_BLOCKED = /^(\S+) blocked (\S+) \S+ -\s*$/;
/** qmail-smtpd's badiprbl patch: `qmail-smtpd: CODE badiprbl: ip ADDR rbl: RBL`. */
const BADIPRBL = /^qmail-smtpd: ([45]\d\d) badiprbl: ip (\S+) rbl: (\S+)\s*$/;

/** qmail (its splogger records), rblsmtpd through syslog: DNS-blocklist refusals (fail2ban's qmail). */
export function createQmailHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'qmail';
    let m = env.msg;
    const stamp = STAMP.exec(m);
    if (stamp !== null) m = m.slice(stamp[0].length);
    let addr: string;
    let code: string | undefined;
    let list: string | undefined;
    const r = RBLSMTPD.exec(m);
    if (r !== null) {
      addr = r[1]!;
      code = r[2]!;
    } else {
      const b = env.program === 'rblsmtpd' ? RBL_BLOCKED.exec(m) : null;
      const q = b === null ? BADIPRBL.exec(m) : null;
      if (b !== null) {
        addr = b[2]!;
        list = b[1]!;
      } else if (q !== null) {
        addr = q[2]!;
        code = q[1]!;
        list = q[3]!;
      } else return true;
    }
    if (!setSource(ev, addr)) return true;
    ev['event.category'] = EMAIL;
    ev['event.type'] = TYPE_DENIED;
    ev['event.action'] = 'smtp_reject';
    ev['event.outcome'] = 'failure';
    ev['event.reason'] = 'blocklisted';
    if (code !== undefined) ev['leuko.smtp.code'] = Number(code);
    if (list !== undefined) ev['leuko.smtp.rbl'] = list;
    return true;
  };
}
