import type { ActorLog } from './ground-truth.js';
import { msg, openConn, type SshConn, type SshdWorld } from './sshd-conn.js';
import { BYE_REASONS } from './sshd-words.js';

/** sshd runs as many users as exist; anything else is an invalid user. */
export function isValidUser(user: string): boolean {
  return user === 'root' || user === 'www-data' || user === 'git' || user === 'backup';
}

/**
 * One failed password (or keyboard-interactive) try inside an open connection, with the PAM
 * lines real sshd writes before it. Counts one attempt.
 */
export function failedTry(world: SshdWorld, log: ActorLog, c: SshConn, user: string, gapMs: number): void {
  const invalid = !isValidUser(user);
  const kbd = c.dialect !== '7' && world.rng.chance(c.dialect === '9' ? 0.3 : 0.1);
  if (kbd) {
    c.say(msg.pamError(c, user, invalid), gapMs);
    c.say(msg.failed(c, 'keyboard-interactive/pam', user, invalid), world.rng.int(1, 30));
  } else {
    if (invalid) c.say(msg.pamUnknown(), gapMs);
    c.say(msg.pamFailure(c, invalid ? undefined : user), invalid ? world.rng.int(0, 5) : gapMs);
    // pam_faildelay: the verdict comes about two seconds after PAM gave up.
    c.say(msg.failed(c, 'password', user, invalid), world.rng.int(1700, 2600));
  }
  log.attempts++;
}

/** The lines sshd writes when a brute-force connection ends after `tries` failures. */
export function closeFailedConn(world: SshdWorld, c: SshConn, user: string, tries: number): void {
  const { rng } = world;
  const invalid = !isValidUser(user);
  if (tries >= 6) {
    c.say(msg.maxAttempts(c, user, invalid), rng.int(100, 900));
    c.say(msg.tooMany(c, user, invalid), 0);
    if (!invalid) c.say(msg.pamMore(c, 5, user), 1);
    return;
  }
  if (tries > 1 && !invalid) c.say(msg.pamMore(c, tries - 1, user), rng.int(5, 200));
  const end = rng.next();
  if (end < 0.55) {
    c.say(msg.receivedBye(c, rng.pick(BYE_REASONS)), rng.int(5, 400));
    c.say(msg.disconnectedPre(c, user, invalid), 1);
  } else if (end < 0.9) {
    c.say(msg.closedPre(c, user, invalid), rng.int(5, 900));
  } else {
    c.say(msg.resetPre(c, user, invalid), rng.int(5, 900));
  }
}

/**
 * A connection that guesses `tries` passwords for `user` (sshd keeps the user of the first
 * request, so tools reconnect to switch user). Returns the time of its last line.
 */
export function bruteConn(world: SshdWorld, log: ActorLog, t: number, user: string, tries: number): number {
  const c = openConn(world, log, t);
  if (!isValidUser(user)) {
    c.say(msg.invalidUser(c, user), world.rng.int(50, 400));
    if (c.dialect === '7') c.say(msg.inputUserauth(user), 0);
  }
  for (let i = 0; i < tries; i++)
    failedTry(world, log, c, user, i === 0 ? world.rng.int(5, 200) : world.rng.int(50, 800));
  closeFailedConn(world, c, user, tries);
  return c.t;
}
