import type { AddressBook } from './addresses.js';
import { type ActorLog, createActorLog } from './ground-truth.js';
import type { LineSink } from './line-sink.js';
import { msg, openConn, type SshConn, type SshdWorld } from './sshd-conn.js';
import { AUTOMATION_USERS, BENIGN_PEOPLE, fingerprint, SUDO_COMMANDS } from './sshd-words.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

interface BenignClient {
  readonly log: ActorLog;
  readonly users: readonly string[];
  readonly automation: boolean;
  readonly password: boolean;
  readonly weight: number;
  /** Last time a person at this address mistyped: at most two failures per half hour. */
  lastSlip: number;
}

/** Ids the host's logind and session counters hand out. */
export interface HostCounters {
  session: number;
  readonly logindPid: number;
}

const uidOf = (user: string): number => {
  let h = 0;
  for (let i = 0; i < user.length; i++) h = (h * 31 + user.charCodeAt(i)) % 900;
  return 1000 + h;
};

/** Write a line of another process on the same host (logind, sudo, systemd). */
export function hostLine(world: SshdWorld, log: ActorLog, t: number, proc: string, text: string): void {
  log.emit(t, '', ` ${world.host} ${proc}: ${text}`);
}

/**
 * The people and robots that legitimately log in: a pool of addresses, each with its users,
 * its auth method and an activity weight (a few addresses make most sessions).
 */
export function createBenignSshd(world: SshdWorld, book: AddressBook, sink: LineSink, addresses: number) {
  const { rng } = world;
  const clients: BenignClient[] = [];
  const automationCount = Math.max(2, Math.round(addresses / 80));
  for (let i = 0; i < addresses; i++) {
    const automation = i < automationCount;
    const ip = rng.chance(0.12) ? book.ipv6('benign') : book.ipv4('benign');
    const users = automation
      ? [rng.pick(AUTOMATION_USERS)]
      : rng.chance(0.15)
        ? [rng.pick(BENIGN_PEOPLE), rng.pick(BENIGN_PEOPLE)]
        : [rng.pick(BENIGN_PEOPLE)];
    clients.push({
      log: createActorLog(sink, ip),
      users,
      automation,
      password: !automation && rng.chance(0.4),
      weight: automation ? 40 : rng.logNormal(1, 3),
      lastSlip: Number.NEGATIVE_INFINITY,
    });
  }
  const totalWeight = clients.reduce((s, c) => s + c.weight, 0);
  const counters: HostCounters = { session: rng.int(100, 5000), logindPid: rng.int(400, 900) };

  const pickClient = (): BenignClient => {
    let r = rng.next() * totalWeight;
    for (const c of clients) {
      r -= c.weight;
      if (r < 0) return c;
    }
    return clients[clients.length - 1] as BenignClient;
  };

  /** A mistyped password: one or two failures, then the right one, in the same connection. */
  const slip = (client: BenignClient, c: SshConn, user: string): void => {
    const failures = rng.chance(0.2) ? 2 : 1;
    for (let i = 0; i < failures; i++) {
      c.say(msg.pamFailure(c, user), rng.int(3, 9) * SECOND);
      c.say(msg.failed(c, 'password', user, false), rng.int(1700, 2600));
    }
    client.lastSlip = c.t;
  };

  /** A wrong user name typed once: its own connection, then the real login. */
  const wrongName = (client: BenignClient, t: number, user: string): number => {
    const typo = `${user.slice(0, -1)}${user.slice(-1) === 'e' ? 'a' : 'e'}`;
    const c = openConn(world, client.log, t);
    c.say(msg.invalidUser(c, typo), rng.int(50, 300));
    if (c.dialect === '7') c.say(msg.inputUserauth(typo), 0);
    c.say(msg.pamUnknown(), rng.int(3, 8) * SECOND);
    c.say(msg.pamFailure(c), rng.int(0, 5));
    c.say(msg.failed(c, 'password', typo, true), rng.int(1700, 2600));
    c.say(msg.closedPre(c, typo, true), rng.int(2, 6) * SECOND);
    client.lastSlip = c.t;
    return c.t + rng.int(3, 10) * SECOND;
  };

  const session = (): void => {
    const client = pickClient();
    const user = rng.pick(client.users);
    let t = world.start + rng.next() * world.spanMs;
    const canSlip = client.password && t - client.lastSlip > 30 * MINUTE;
    if (canSlip && rng.chance(0.01)) t = wrongName(client, t, user);
    const c = openConn(world, client.log, t);
    const log = client.log;
    if (client.password) {
      if (canSlip && t - client.lastSlip > 30 * MINUTE && rng.chance(0.06)) slip(client, c, user);
      c.say(msg.accepted(c, 'password', user), rng.int(2, 8) * SECOND);
    } else {
      c.say(
        msg.accepted(c, 'publickey', user, `${rng.pick(['ED25519', 'RSA', 'ECDSA'])} SHA256:${fingerprint(rng.next)}`),
        rng.int(80, 600),
      );
    }
    c.say(msg.sessionOpened(c, user, uidOf(user)), rng.int(1, 20));
    const id = counters.session++;
    const logind = `systemd-logind[${counters.logindPid}]`;
    hostLine(world, log, c.t + rng.int(1, 30), logind, `New session ${id} of user ${user}.`);
    let durationMs: number;
    if (client.automation) {
      if (rng.chance(0.5)) c.say(`subsystem request for sftp by user ${user}`, rng.int(50, 300));
      durationMs = rng.int(2, 90) * SECOND;
    } else {
      durationMs = Math.min(8 * 3600 * SECOND, Math.max(5 * SECOND, rng.logNormal(20 * MINUTE, 3)));
      if (rng.chance(0.25)) {
        const at = c.t + rng.next() * durationMs;
        hostLine(
          world,
          log,
          at,
          'sudo',
          `${user.padStart(8)} : TTY=pts/${rng.int(0, 6)} ; PWD=/home/${user} ; USER=root ; COMMAND=${rng.pick(SUDO_COMMANDS)}`,
        );
        hostLine(
          world,
          log,
          at + 3,
          'sudo',
          `pam_unix(sudo:session): session opened for user root(uid=0) by ${user}(uid=${uidOf(user)})`,
        );
        hostLine(
          world,
          log,
          at + 2000 + rng.next() * 60_000,
          'sudo',
          'pam_unix(sudo:session): session closed for user root',
        );
      }
    }
    c.t += durationMs;
    c.say(msg.receivedByUser(c), 0);
    c.say(msg.disconnectedUser(c, user), rng.int(0, 3));
    c.say(msg.sessionClosed(user), rng.int(1, 20));
    hostLine(world, log, c.t + rng.int(1, 30), logind, `Session ${id} logged out. Waiting for processes to exit.`);
    hostLine(world, log, c.t + rng.int(40, 120), logind, `Removed session ${id}.`);
  };

  return { session, clients, counters };
}

/**
 * Uptime monitors and the company's own port checks: they open a TCP connection to port 22
 * every few minutes and hang up before authenticating. Noise a detector must live with.
 */
export function monitor(world: SshdWorld, book: AddressBook, sink: LineSink, remaining: number): ActorLog {
  const { rng } = world;
  const log = createActorLog(sink, book.ipv4('benign'));
  const everyMs = rng.int(60, 300) * SECOND;
  const kind = rng.int(0, 2);
  let t = world.start + rng.next() * everyMs;
  while (t < world.start + world.spanMs && log.lines < remaining) {
    const c = openConn(world, log, t);
    if (kind === 0) {
      c.say(msg.closedPre(c), rng.int(1, 50));
    } else if (kind === 1 && c.dialect !== '7') {
      c.say(msg.kexClosed(c), rng.int(1, 50));
      c.say(msg.closedPlain(c), 0);
    } else {
      c.say(c.dialect === '7' ? msg.noIdent(c) : msg.closedPre(c), rng.int(1, 50));
    }
    t += everyMs + rng.int(-2000, 2000);
  }
  return log;
}
