import {
  address,
  badProtocol,
  closed,
  closeSession,
  connectionFrom,
  dropConnection,
  magic,
  negotiate,
  netFail,
  network,
  penalty,
  receivedDisconnect,
  refusedConnect,
  timeout,
  ltype,
} from './connection-lines.js';
import { fact, type SshdFact } from './facts.js';
import {
  accepted,
  disconnecting,
  failed,
  invalidUser,
  maxAttempts,
  notKnown,
  pam,
  pamAuth,
  postponed,
  rootRefused,
  tooMany,
  userNotAllowed,
} from './login-lines.js';
import { preauthEnd } from './tail.js';

/**
 * Classify one sshd message (envelope removed). Each branch is chosen by a literal prefix and
 * reads the address from the part of the line sshd itself formats: after the user name for
 * `... for USER from HOST port N` (the user is attacker-chosen and may hold a fake
 * ` from 1.2.3.4 port 22`), before any client-supplied text otherwise.
 */
export function classifySshd(raw: string): SshdFact | null {
  let m = raw;
  let level: string | undefined;
  if (m.startsWith('error: ')) {
    level = 'error';
    m = m.slice(7);
  } else if (m.startsWith('fatal: ')) {
    level = 'fatal';
    m = m.slice(7);
  }
  if (m.startsWith('PAM: ')) m = m.slice(5);
  const f = dispatch(m);
  if (f !== null && level !== undefined) f.level = level;
  return f;
}

function dispatch(m: string): SshdFact | null {
  switch (m.charCodeAt(0)) {
    case 65: // A
      if (m.startsWith('Accepted ')) return accepted(m);
      if (m.startsWith('Authentication ') || m.startsWith('Address '))
        return m.startsWith('Address ') ? address(m) : pamAuth(m);
      break;
    case 97: // a
      // `sshd(pam_unix)[PID]: authentication failure; ... rhost=ADDR` (Red Hat's tag before
      // Linux-PAM 0.99 put the module in the program): the legacy record, counted as it is.
      if (m.startsWith('authentication failure; ')) return pam(`(pam_unix) ${m}`);
      if (m.startsWith('authentication ')) return pamAuth(m);
      break;
    case 70: // F
      if (m.startsWith('Failed ')) return failed(m);
      break;
    case 73: // I
      if (m.startsWith('Invalid user ') || m.startsWith('Illegal user ')) return invalidUser(m, 13);
      break;
    case 85: // U
      if (m.startsWith('User not known to the underlying authentication module for ')) return notKnown(m);
      if (m.startsWith('User ')) return userNotAllowed(m);
      if (m.startsWith('Unable to negotiate ')) return negotiate(m);
      break;
    case 67: // C
      if (m.startsWith('Connection closed by ')) return closed(m, 21);
      if (m.startsWith('Connection reset by ')) return closed(m, 20);
      if (m.startsWith('Connection from ')) return connectionFrom(m);
      if (m.startsWith('Close session: user ')) return closeSession(m);
      break;
    case 68: // D
      if (m.startsWith('Disconnected from ')) return closed(m, 18);
      if (m.startsWith('Disconnecting: Too many authentication failures')) return tooMany(m);
      if (m.startsWith('Disconnecting ')) return disconnecting(m);
      if (m.startsWith('Did not receive identification string from ')) return network(m, 43, 'ssh_kex_error');
      break;
    case 100: // d
      if (m.startsWith('drop connection #')) return dropConnection(m);
      break;
    case 82: // R
      if (m.startsWith('Received disconnect from ')) return receivedDisconnect(m);
      if (m.startsWith('ROOT LOGIN REFUSED FROM ')) return rootRefused(m);
      if (m.startsWith('Read from socket failed: ')) return netFail('ssh_kex_error');
      break;
    case 114: // r
      if (m.startsWith('refused connect from ')) return refusedConnect(m);
      if (m.startsWith('reverse mapping checking ')) return fact('info', 'ssh_reverse_mapping_mismatch');
      break;
    case 109: // m
      if (m.startsWith('maximum authentication attempts exceeded for ')) return maxAttempts(m);
      break;
    case 112: // p
      if (m.startsWith('pam_')) return pam(m);
      break;
    case 40: // (
      if (m.startsWith('(pam_')) return pam(m);
      break;
    case 80: // P
      if (m.startsWith('Postponed ')) return postponed(m);
      if (m.startsWith('PAM ')) return fact('info', 'pam_auth_failure_summary');
      break;
    case 66: // B
      if (m.startsWith('Bad protocol version identification ')) return badProtocol(m);
      break;
    case 98: // b
      if (m.startsWith('banner exchange: Connection from ')) return network(m, 33, 'ssh_banner_error');
      break;
    case 107: // k
      if (m.startsWith('kex_exchange_identification: ')) return netFail('ssh_kex_error');
      break;
    case 110: // n
      if (m.startsWith('no matching ')) return netFail('ssh_kex_error');
      break;
    case 84: // T
      if (m.startsWith('Timeout before authentication for ')) return timeout(m);
      break;
    case 115: // s
      if (m.startsWith('ssh_dispatch_run_fatal: Connection from ')) return network(m, 40, 'ssh_protocol_error');
      if (m.startsWith('srclimit_penalise: ')) return penalty(m);
      break;
    case 83: // S
      if (m.startsWith('SSH: Server;Ltype: ')) return ltype(m);
      break;
    case 77: // M
      if (m.startsWith('Magic value check failed ')) return magic(m);
      break;
    case 105: // i
      if (m.startsWith('input_userauth_request: invalid user ')) {
        const f = fact('info', 'ssh_invalid_user_request');
        f.user = m.slice(37, preauthEnd(m));
        f.invalidUser = true;
        return f;
      }
      break;
  }
  return null;
}
