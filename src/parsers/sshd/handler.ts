import type { ProgramHandler } from '../syslog/handler.js';
import { classifySshd } from './classify.js';
import { createSshdCorrelator } from './correlate.js';

/** sshd (and sshd-session, OpenSSH 9.8+) messages, correlated per connection. */
export function createSshdHandler(): ProgramHandler {
  const conns = createSshdCorrelator();
  const handler: ProgramHandler = (env, ev) => {
    ev['event.dataset'] = 'sshd';
    const fact = classifySshd(env.msg);
    if (fact === null) return true;
    return conns.apply(env.host, env.pid, fact, ev);
  };
  // Open connections survive a restart (see LineParser.snapshot): a failure logged before it
  // keeps counting with the connection's later lines.
  handler.snapshot = conns.snapshot;
  handler.restore = conns.restore;
  return handler;
}
