import type { AddressBook } from './addresses.js';
import {
  type AttackerTruth,
  createActorLog,
  type FileTruth,
  fillBudget,
  type NginxAttackKind,
} from './ground-truth.js';
import { createLineSink } from './line-sink.js';
import { type AttackEnv, NGINX_ATTACKERS } from './nginx-attackers.js';
import { adminSession, apiSession, crawler, createVisitors, sitePages, webMonitor } from './nginx-benign.js';
import type { NginxWorld } from './nginx-request.js';
import { BROWSER_UAS } from './nginx-words.js';
import type { Rng } from './rng.js';
import { nginxTime } from './timestamps.js';

export interface NginxLogOptions {
  readonly lines: number;
  readonly rng: Rng;
  readonly book: AddressBook;
  readonly start: number;
  readonly spanMs: number;
  readonly path: string;
  readonly site?: string;
}

/** Share of the file each attacker kind writes. */
const ATTACK_SHARE: Readonly<Record<NginxAttackKind, number>> = {
  'probe-404': 0.08,
  'bad-ua': 0.07,
  'wp-bruteforce': 0.08,
  sqli: 0.04,
  'sensitive-files': 0.015,
  xss: 0.01,
  traversal: 0.01,
  cmdi: 0.005,
  log4shell: 0.003,
};

const BENIGN_SHARE = { crawlers: 0.1, monitors: 0.02, api: 0.07, admin: 0.02 } as const;

/** Documentation addresses written only into attackers' referrers and user agents. */
const DOC_FRAMED = ['203.0.113.9', '198.51.100.23'] as const;

/**
 * A day of a WordPress shop's access.log (nginx `combined`), with ground truth: browsing
 * people, crawlers, monitors, app users and editors, and nine kinds of web attackers.
 */
export function generateNginxLog(opts: NginxLogOptions): FileTruth {
  const sink = createLineSink();
  const { book, lines } = opts;
  const world = (label: string): NginxWorld => ({
    rng: opts.rng.fork(label),
    start: opts.start,
    spanMs: opts.spanMs,
    site: opts.site ?? 'shop.example.com',
  });
  const budget = (share: number): number => Math.round(lines * share);
  const pages = sitePages(opts.rng.fork('pages'));
  const benign = new Set<string>();

  const crawlWorld = world('crawlers');
  fillBudget(sink, budget(BENIGN_SHARE.crawlers), (rem) => benign.add(crawler(crawlWorld, book, sink, pages, rem).ip));
  const monWorld = world('monitors');
  fillBudget(sink, budget(BENIGN_SHARE.monitors), (rem) => benign.add(webMonitor(monWorld, book, sink, rem).ip));
  const apiWorld = world('api');
  const apiClients = Array.from({ length: Math.max(5, Math.round(budget(BENIGN_SHARE.api) / 400)) }, () =>
    createActorLog(sink, apiWorld.rng.chance(0.3) ? book.ipv6('benign') : book.ipv4('benign')),
  );
  fillBudget(sink, budget(BENIGN_SHARE.api), () => apiSession(apiWorld, apiWorld.rng.pick(apiClients)));
  const adminWorld = world('admin');
  const admins = [0, 1, 2].map(() => ({
    log: createActorLog(sink, book.ipv4('benign')),
    ua: adminWorld.rng.pick(BROWSER_UAS),
  }));
  fillBudget(sink, budget(BENIGN_SHARE.admin), () => {
    const a = adminWorld.rng.pick(admins);
    adminSession(adminWorld, a.log, a.ua);
  });
  const visitWorld = world('visitors');
  const visitors = createVisitors(visitWorld, book, sink, pages, Math.max(30, Math.round(lines / 80)));

  const attackers: AttackerTruth[] = [];
  for (const doc of DOC_FRAMED) book.reserve(doc, 'benign');
  const framed = new Set<string>();
  const env = (label: string): AttackEnv => ({
    world: world(label),
    book,
    sink,
    frame: [...DOC_FRAMED, ...visitors.visitors.slice(0, 50).map((v) => v.log.ip)],
    framed,
  });
  for (const [kind, share] of Object.entries(ATTACK_SHARE) as [NginxAttackKind, number][]) {
    const e = env(kind);
    fillBudget(sink, budget(share), (rem) => attackers.push(NGINX_ATTACKERS[kind](e, rem)));
  }

  // Visitors fill the rest: whole sessions while there is room, then single requests.
  while (sink.count < lines - 60) visitors.session();
  while (sink.count < lines) visitors.single();

  const written = sink.writeTo(opts.path, nginxTime);
  for (const v of visitors.visitors) if (v.log.lines > 0) benign.add(v.log.ip);
  for (const c of apiClients) if (c.lines > 0) benign.add(c.ip);
  for (const a of admins) if (a.log.lines > 0) benign.add(a.log.ip);
  for (const doc of DOC_FRAMED) benign.add(doc);
  for (const f of framed) benign.add(f);
  return {
    format: 'nginx',
    file: opts.path.slice(opts.path.lastIndexOf('/') + 1),
    lines: written.lines,
    bytes: written.bytes,
    attackers,
    benign: [...benign],
    embedded: [...framed],
  };
}
