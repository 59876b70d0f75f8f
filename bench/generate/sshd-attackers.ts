import type { AddressBook } from './addresses.js';
import { type AttackerTruth, attackerTruth, createActorLog } from './ground-truth.js';
import type { LineSink } from './line-sink.js';
import type { Rng } from './rng.js';
import { msg, openConn, type SshdWorld } from './sshd-conn.js';
import { bruteConn, isValidUser } from './sshd-tries.js';
import { ATTACK_USERS, BYE_REASONS, ENUM_SUFFIXES, fingerprint, KEY_PROBE_USERS, KEY_TYPES } from './sshd-words.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, Math.round(v)));

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A start time that leaves `needMs` before the end of the window. */
function startWithin(world: SshdWorld, needMs: number): number {
  return world.start + world.rng.next() * Math.max(0, world.spanMs - needMs);
}

function attackerAddress(world: SshdWorld, book: AddressBook, v6Share: number, near?: string): string {
  return world.rng.chance(v6Share) ? book.ipv6('attacker') : book.ipv4('attacker', near);
}

/**
 * Fast brute forcer (hydra, medusa, ncrack): hundreds to thousands of guesses, a connection
 * every second or so, in one to three bursts. `near` puts it in the /24 of another attacker.
 */
export function fastBruteforce(
  world: SshdWorld,
  book: AddressBook,
  sink: LineSink,
  remaining: number,
  near?: string,
): AttackerTruth {
  const { rng } = world;
  const log = createActorLog(sink, attackerAddress(world, book, 0.08, near));
  const attempts = Math.max(20, Math.min(clamp(rng.logNormal(250, 2.5), 20, 4000), Math.floor(remaining / 3.6)));
  const users = rng.chance(0.4) ? ['root'] : shuffled(rng, ATTACK_USERS).slice(0, rng.int(10, 60));
  const triesPerConn = rng.pick([1, 1, 2, 3, 6]);
  const gapMs = clamp(rng.logNormal(1200, 1.8), 150, 6000) * Math.max(1, triesPerConn / 2);
  const bursts = attempts > 200 ? rng.int(1, 3) : 1;
  let userIdx = 0;
  let done = 0;
  for (let b = 0; b < bursts; b++) {
    const inBurst = b === bursts - 1 ? attempts - done : Math.floor(attempts / bursts);
    let t = startWithin(world, (inBurst / triesPerConn) * gapMs * 1.5 + MINUTE);
    let burstDone = 0;
    while (burstDone < inBurst) {
      const user = users[userIdx++ % users.length] as string;
      const k = Math.min(triesPerConn, inBurst - burstDone);
      bruteConn(world, log, t, user, k);
      burstDone += k;
      t += gapMs * (0.5 + rng.next());
    }
    done += burstDone;
  }
  return attackerTruth(log, 'fast-bruteforce');
}

/**
 * Slow brute forcer: one guess every 3 to 15 minutes for hours, under any "5 in 10 minutes"
 * threshold (gaps >= 190 s, so no 10-minute window holds 5 guesses).
 */
export function slowBruteforce(world: SshdWorld, book: AddressBook, sink: LineSink): AttackerTruth {
  const { rng } = world;
  const log = createActorLog(sink, attackerAddress(world, book, 0.05));
  const maxBySpan = Math.floor((world.spanMs * 0.95) / (900 * SECOND));
  const attempts = Math.min(maxBySpan, clamp(rng.logNormal(50, 1.6), 12, 200));
  const users = rng.chance(0.5) ? ['root'] : shuffled(rng, ATTACK_USERS).slice(0, rng.int(3, 20));
  let t = startWithin(world, attempts * 900 * SECOND);
  for (let i = 0; i < attempts; i++) {
    bruteConn(world, log, t, users[i % users.length] as string, 1);
    t += rng.int(190, 900) * SECOND;
  }
  return attackerTruth(log, 'slow-bruteforce');
}

/** User enumerator: asks for many names, rarely tries a password (timing oracle, `none` method). */
export function userEnumeration(world: SshdWorld, book: AddressBook, sink: LineSink, remaining: number): AttackerTruth {
  const { rng } = world;
  const log = createActorLog(sink, attackerAddress(world, book, 0.05));
  const count = Math.max(12, Math.min(clamp(rng.logNormal(60, 2), 12, 800), Math.floor(remaining / 2.4)));
  const names: string[] = [];
  const seen = new Set<string>();
  const base = shuffled(rng, ATTACK_USERS).filter((u) => !isValidUser(u));
  while (names.length < count) {
    const name = `${rng.pick(base)}${rng.pick(ENUM_SUFFIXES)}`;
    if (seen.has(name)) {
      if (seen.size >= base.length * ENUM_SUFFIXES.length) seen.clear();
      continue;
    }
    seen.add(name);
    names.push(name);
  }
  const gapMs = rng.int(300, 4000);
  let t = startWithin(world, count * gapMs * 1.5);
  for (const name of names) {
    const c = openConn(world, log, t);
    c.say(msg.invalidUser(c, name), rng.int(20, 300));
    if (c.dialect === '7') c.say(msg.inputUserauth(name), 0);
    const r = rng.next();
    if (r < 0.7) {
      c.say(msg.closedPre(c, name, true), rng.int(5, 300));
    } else if (r < 0.9) {
      c.say(msg.receivedBye(c, rng.pick(BYE_REASONS)), rng.int(5, 300));
      c.say(msg.disconnectedPre(c, name, true), 1);
    } else {
      c.say(msg.failed(c, 'none', name, true), rng.int(5, 100));
      c.say(msg.closedPre(c, name, true), rng.int(5, 300));
    }
    log.attempts++;
    t += gapMs * (0.5 + rng.next());
  }
  return attackerTruth(log, 'user-enumeration');
}

/** Key-only prober: offers stolen or default keys for cloud accounts, never a password. */
export function keyProbe(world: SshdWorld, book: AddressBook, sink: LineSink): AttackerTruth {
  const { rng } = world;
  const log = createActorLog(sink, attackerAddress(world, book, 0.1));
  const conns = clamp(rng.logNormal(20, 2), 6, 300);
  const users = shuffled(rng, KEY_PROBE_USERS).slice(0, rng.int(1, 4));
  const gapMs = rng.int(2, 40) * SECOND;
  let t = startWithin(world, conns * gapMs * 1.5);
  for (let i = 0; i < conns; i++) {
    const user = users[i % users.length] as string;
    const invalid = !isValidUser(user);
    const c = openConn(world, log, t);
    if (invalid) {
      c.say(msg.invalidUser(c, user), rng.int(20, 300));
      if (c.dialect === '7') c.say(msg.inputUserauth(user), 0);
    }
    const r = rng.next();
    if (r < 0.55) {
      c.say(msg.closedPre(c, user, invalid), rng.int(100, 1500));
    } else if (r < 0.8) {
      c.say(msg.maxAttempts(c, user, invalid), rng.int(300, 3000));
      c.say(msg.tooMany(c, user, invalid), 0);
    } else {
      const keys = rng.int(1, 3);
      for (let k = 0; k < keys; k++) {
        c.say(msg.failedPublickey(c, user, rng.pick(KEY_TYPES), fingerprint(rng.next)), rng.int(50, 400));
      }
      c.say(msg.closedPre(c, user, invalid), rng.int(20, 400));
    }
    log.attempts++;
    t += gapMs * (0.5 + rng.next());
  }
  return attackerTruth(log, 'key-probe');
}

/**
 * A distributed campaign: every bot makes one to three guesses hours apart, walking one shared
 * user list, so no single address looks like much.
 */
export function createBotnetCampaign(world: SshdWorld, book: AddressBook, sink: LineSink) {
  const { rng } = world;
  const users = shuffled(rng, ATTACK_USERS).slice(0, rng.int(20, 40));
  let next = 0;
  return (): AttackerTruth => {
    const log = createActorLog(sink, attackerAddress(world, book, 0.05));
    const guesses = rng.weighted([
      [1, 0.35],
      [2, 0.4],
      [3, 0.25],
    ] as const);
    const times: number[] = [];
    for (let i = 0; i < guesses; i++) times.push(startWithin(world, MINUTE));
    times.sort((a, b) => a - b);
    for (const t of times) bruteConn(world, log, t, users[next++ % users.length] as string, 1);
    return attackerTruth(log, 'botnet');
  };
}

/**
 * Log injection: the attacker's user name carries `from <benign address> port 22`, so a parser
 * that takes the first address after `from` bans the benign one instead (CVE-2006-6302 style).
 */
export function injection(
  world: SshdWorld,
  book: AddressBook,
  sink: LineSink,
  embedded: readonly string[],
  templates: readonly ((e: string) => string)[],
): { truth: AttackerTruth; used: string[] } {
  const { rng } = world;
  const log = createActorLog(sink, attackerAddress(world, book, 0.05));
  const used = new Set<string>();
  const attempts = rng.int(6, 40);
  const gapMs = rng.int(800, 4000);
  let t = startWithin(world, attempts * gapMs * 1.5);
  let done = 0;
  while (done < attempts) {
    const target = rng.pick(embedded);
    used.add(target);
    const k = Math.min(rng.int(1, 2), attempts - done);
    bruteConn(world, log, t, rng.pick(templates)(target), k);
    done += k;
    t += gapMs * (0.5 + rng.next());
  }
  return { truth: attackerTruth(log, 'injection'), used: [...used] };
}
