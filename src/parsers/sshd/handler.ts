import type { ProgramHandler } from '../syslog/handler.js';
import { classifySshd } from './classify.js';
import { createSshdCorrelator } from './correlate.js';

/** sshd (and sshd-session, OpenSSH 9.8+) messages, correlated per connection. */
export function createSshdHandler(): ProgramHandler {
  const apply = createSshdCorrelator();
  return (env, ev) => {
    ev['event.dataset'] = 'sshd';
    const fact = classifySshd(env.msg);
    if (fact === null) return true;
    return apply(env.host, env.pid, fact, ev);
  };
}
