import type { EcsEvent } from '../../core/event.js';
import { applyPamFailure } from '../pam/handler.js';
import { parsePamFailure } from '../pam/pam-message.js';
import { AUTHENTICATION, PROCESS, SESSION, TYPE_DENIED, TYPE_END, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

const REASONS: readonly [RegExp, string][] = [
  [/^\d+ incorrect password attempts?$/, 'sudo_auth_failure'],
  [/^user NOT in sudoers$/, 'sudo_not_in_sudoers'],
  [/^user NOT authorized on host$/, 'sudo_not_in_sudoers'],
  [/^command not allowed$/, 'sudo_command_not_allowed'],
  [/^a password is required$/, 'sudo_auth_failure'],
  [/^(?:PAM )?authentication (?:failure|error)$/, 'sudo_auth_failure'],
];

/**
 * `  alice : [REASON ; ]TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls`.
 * COMMAND is the last field and may itself contain ` ; `, so it is taken whole.
 */
export function parseSudoLine(msg: string, ev: EcsEvent): boolean {
  const s = msg.trimStart();
  const colon = s.indexOf(' : ');
  if (colon <= 0 || colon > 64) return false;
  const user = s.slice(0, colon);
  let rest = s.slice(colon + 3);
  const cmdAt = rest.startsWith('COMMAND=') ? 0 : rest.indexOf(' ; COMMAND=');
  let command: string | undefined;
  if (cmdAt >= 0) {
    command = rest.slice(cmdAt === 0 ? 8 : cmdAt + 11);
    rest = rest.slice(0, cmdAt);
  }
  const parts = rest.split(' ; ');
  let reason: string | undefined;
  const fields: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq > 0 && /^[A-Z]+$/.test(p.slice(0, eq))) fields[p.slice(0, eq)] = p.slice(eq + 1);
    else if (p.length > 0 && reason === undefined) reason = p;
  }
  if (command === undefined && fields.TTY === undefined && reason === undefined) return false;
  ev['user.name'] = user;
  if (fields.USER !== undefined) ev['user.target.name'] = fields.USER;
  if (fields.PWD !== undefined) ev['process.working_directory'] = fields.PWD;
  if (command !== undefined) ev['process.command_line'] = command;
  if (fields.TTY !== undefined) ev['leuko.tty'] = fields.TTY;
  if (reason === undefined) {
    ev['event.category'] = PROCESS;
    ev['event.type'] = TYPE_START;
    ev['event.action'] = 'sudo_command';
    ev['event.outcome'] = 'success';
    return true;
  }
  ev['event.reason'] = reason;
  const hit = REASONS.find(([re]) => re.test(reason));
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = hit?.[1] ?? 'sudo_denied';
  ev['event.outcome'] = 'failure';
  if (hit?.[1] !== 'sudo_auth_failure') ev['event.type'] = TYPE_DENIED;
  return true;
}

/** sudo: commands, refusals, and its PAM records. */
export function createSudoHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'sudo';
    const msg = env.msg;
    if (msg.startsWith('pam_')) {
      const f = parsePamFailure(msg);
      if (f !== null) return applyPamFailure(f, ev);
      const s =
        /^pam_\w+\(sudo(?:-i)?:session\): session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (\S*?)(?:\(uid=\d+\))?)?$/.exec(
          msg,
        );
      if (s !== null) {
        ev['event.category'] = SESSION;
        ev['event.type'] = s[1] === 'opened' ? TYPE_START : TYPE_END;
        ev['event.action'] = s[1] === 'opened' ? 'sudo_session_start' : 'sudo_session_end';
        ev['user.target.name'] = s[2]!;
        if (s[3]) ev['user.name'] = s[3];
      }
      return true;
    }
    parseSudoLine(msg, ev);
    return true;
  };
}
