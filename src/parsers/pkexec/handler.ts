import type { EcsEvent } from '../../core/event.js';
import { AUTHENTICATION, PROCESS, TYPE_DENIED, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * What polkit's pkexec logs before the bracketed fields, by event: a run it allowed, a run it
 * refused, and the two refusals of a tampered environment that CVE-2021-4034 (PwnKit) exploits
 * leave behind (`SHELL=/fake/shell`, `GCONV_PATH=./x`): no user runs pkexec that way by mistake.
 */
const REASONS: readonly [string, string][] = [
  ['Executing command', 'pkexec_command'],
  ['Error executing command as another user: Not authorized', 'pkexec_not_authorized'],
  ['The value for the SHELL variable was not found the /etc/shells file', 'pkexec_suspicious_environment'],
  ['The value for environment variable ', 'pkexec_suspicious_environment'],
];

/** `[NAME=value]` fields pkexec appends; COMMAND is last and may contain `]`, so it runs to the end. */
function bracketFields(rest: string, ev: EcsEvent): void {
  const cmd = rest.indexOf('[COMMAND=');
  if (cmd >= 0) {
    const end = rest.endsWith(']') ? rest.length - 1 : rest.length;
    ev['process.command_line'] = rest.slice(cmd + 9, end);
    rest = rest.slice(0, cmd);
  }
  for (const m of rest.matchAll(/\[(USER|TTY|CWD)=([^\]]*)\]/g)) {
    const value = m[2]!;
    if (m[1] === 'USER') ev['user.target.name'] = value;
    else if (m[1] === 'TTY') ev['leuko.tty'] = value;
    else ev['process.working_directory'] = value;
  }
}

/**
 * pkexec: `alice: Executing command [USER=root] [TTY=/dev/pts/0] [CWD=/home/alice] [COMMAND=/usr/bin/id]`.
 * The user before the colon is the account that ran pkexec (polkit writes it from the process
 * credentials); everything after is its environment and arguments, attacker-chosen.
 */
export function createPkexecHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'pkexec';
    const m = env.msg;
    const colon = m.indexOf(': ');
    if (colon <= 0 || colon > 64 || m.lastIndexOf(' ', colon - 1) >= 0) return true;
    const text = m.slice(colon + 2);
    const hit = REASONS.find(([prefix]) => text.startsWith(prefix));
    if (hit === undefined) return true;
    ev['user.name'] = m.slice(0, colon);
    const action = hit[1];
    ev['event.action'] = action;
    const open = text.indexOf(' [');
    if (open >= 0) bracketFields(text.slice(open + 1), ev);
    if (action === 'pkexec_command') {
      ev['event.category'] = PROCESS;
      ev['event.type'] = TYPE_START;
      ev['event.outcome'] = 'success';
      return true;
    }
    ev['event.category'] = AUTHENTICATION;
    ev['event.type'] = TYPE_DENIED;
    ev['event.outcome'] = 'failure';
    ev['event.reason'] = open >= 0 ? text.slice(0, open) : text;
    return true;
  };
}
