import type { AddressBook } from './addresses.js';
import { type AttackerTruth, type FileTruth, fillBudget } from './ground-truth.js';
import { createLineSink } from './line-sink.js';
import type { Rng } from './rng.js';
import {
  createBotnetCampaign,
  fastBruteforce,
  injection,
  keyProbe,
  slowBruteforce,
  userEnumeration,
} from './sshd-attackers.js';
import { createBenignSshd, monitor } from './sshd-benign.js';
import { DEFAULT_DIALECTS, type SshDialect, type SshdWorld } from './sshd-conn.js';
import { writeHostNoise } from './sshd-noise.js';
import { INJECTION_TEMPLATES } from './sshd-words.js';
import { syslogTime } from './timestamps.js';

export interface SshdLogOptions {
  readonly lines: number;
  readonly rng: Rng;
  readonly book: AddressBook;
  readonly start: number;
  readonly spanMs: number;
  /** Absolute path to write. */
  readonly path: string;
  readonly host?: string;
  readonly dialects?: readonly (readonly [SshDialect, number])[];
}

/** Share of the file each population writes; host noise (cron, sudo) fills the rest. */
const SHARE = {
  benign: 0.2,
  monitors: 0.005,
  fast: 0.25,
  slow: 0.05,
  enumeration: 0.08,
  keyProbe: 0.05,
  botnet: 0.12,
  injection: 0.02,
} as const;

/** Documentation addresses that only ever appear inside attackers' user names. */
const DOC_EMBEDDED = ['203.0.113.9', '198.51.100.23'] as const;

/**
 * A day of an internet-facing server's auth.log with its ground truth. The same rng state
 * gives the same bytes.
 */
export function generateSshdLog(opts: SshdLogOptions): FileTruth {
  const sink = createLineSink();
  const { book, lines } = opts;
  const world = (label: string): SshdWorld => ({
    rng: opts.rng.fork(label),
    host: opts.host ?? 'web-01',
    start: opts.start,
    spanMs: opts.spanMs,
    dialects: opts.dialects ?? DEFAULT_DIALECTS,
  });
  const budget = (share: number): number => Math.round(lines * share);
  const attackers: AttackerTruth[] = [];

  const benignWorld = world('benign');
  const benign = createBenignSshd(benignWorld, book, sink, Math.max(20, Math.round(budget(SHARE.benign) / 150)));
  fillBudget(sink, budget(SHARE.benign), () => benign.session());
  const monitors: string[] = [];
  const monitorWorld = world('monitors');
  fillBudget(sink, budget(SHARE.monitors), (rem) => monitors.push(monitor(monitorWorld, book, sink, rem).ip));

  const fastWorld = world('fast');
  fillBudget(sink, budget(SHARE.fast), (rem) => {
    const prev = attackers[attackers.length - 1];
    // Some attackers rent several servers from one hoster: a /24 with more than one brute forcer.
    const near = prev !== undefined && !prev.ip.includes(':') && fastWorld.rng.chance(0.2) ? prev.ip : undefined;
    attackers.push(fastBruteforce(fastWorld, book, sink, rem, near));
  });
  const slowWorld = world('slow');
  fillBudget(sink, budget(SHARE.slow), () => attackers.push(slowBruteforce(slowWorld, book, sink)));
  const enumWorld = world('enumeration');
  fillBudget(sink, budget(SHARE.enumeration), (rem) => attackers.push(userEnumeration(enumWorld, book, sink, rem)));
  const keyWorld = world('key-probe');
  fillBudget(sink, budget(SHARE.keyProbe), () => attackers.push(keyProbe(keyWorld, book, sink)));
  const bot = createBotnetCampaign(world('botnet'), book, sink);
  fillBudget(sink, budget(SHARE.botnet), () => attackers.push(bot()));

  const injWorld = world('injection');
  for (const doc of DOC_EMBEDDED) book.reserve(doc, 'benign');
  const targets = [
    ...DOC_EMBEDDED,
    ...benign.clients
      .filter((c) => c.log.lines > 0)
      .slice(0, 400)
      .filter((_, i) => i % 37 === 3)
      .map((c) => c.log.ip),
  ];
  const embedded = new Set<string>();
  fillBudget(sink, budget(SHARE.injection), () => {
    const { truth, used } = injection(injWorld, book, sink, targets, INJECTION_TEMPLATES);
    attackers.push(truth);
    for (const u of used) embedded.add(u);
  });

  writeHostNoise(world('noise'), sink, Math.max(0, lines - sink.count));
  const written = sink.writeTo(opts.path, syslogTime);
  const benignIps = new Set<string>([
    ...benign.clients.filter((c) => c.log.lines > 0).map((c) => c.log.ip),
    ...monitors,
    ...DOC_EMBEDDED,
  ]);
  return {
    format: 'sshd',
    file: opts.path.slice(opts.path.lastIndexOf('/') + 1),
    lines: written.lines,
    bytes: written.bytes,
    attackers,
    benign: [...benignIps],
    embedded: [...embedded],
  };
}
