/**
 * Realistic web logs with ONE injected novel behaviour each, for the anomaly model's
 * acceptance test and bench: a shop's ordinary day (browsing sessions, crawlers, uptime
 * monitors, app API clients, editors; from bench/generate) plus one actor that is slow and
 * legitimate per request, so no scenario rule names it, but whose behaviour nobody else has:
 *
 * - `product-walker`: walks thousands of product ids in order at human speed (3-12 s apart)
 * - `credential-stuffer`: POSTs the shop's login form every half minute for hours, no assets
 * - `status-scraper`: pages through the catalogue, a third of its requests rate-limited (429/403)
 * - `api-enumerator`: iterates the store API's product ids, many of them missing (404)
 * - `slow-scraper`: copies the blog page by page, one page a minute or so, no assets, for hours
 * - `slow-credential-stuffer`: POSTs wp-login.php every few minutes (the form comes back: a
 *   failure), too few requests per window for the short scale to score at all
 * - `token-stuffer`: an app-like client POSTing the store API's token endpoint, refused (403)
 *
 * Seeded and deterministic; the first day is ordinary traffic only (what the model learns
 * from), the behaviour starts on the second day.
 */
import { createAddressBook } from './generate/addresses.js';
import { createActorLog } from './generate/ground-truth.js';
import { createLineSink } from './generate/line-sink.js';
import { adminSession, apiSession, crawler, createVisitors, sitePages, webMonitor } from './generate/nginx-benign.js';
import { bodyBytes, type NginxWorld, request } from './generate/nginx-request.js';
import { APP_UAS, BROWSER_UAS, WORDS } from './generate/nginx-words.js';
import { createRng, type Rng } from './generate/rng.js';
import { nginxTime } from './generate/timestamps.js';

export const INJECTED_KINDS = [
  'product-walker',
  'credential-stuffer',
  'status-scraper',
  'api-enumerator',
  'slow-scraper',
  'slow-credential-stuffer',
  'token-stuffer',
] as const;
export type InjectedKind = (typeof INJECTED_KINDS)[number];

export interface AnomalyScenario {
  readonly kind: InjectedKind;
  readonly seed: number;
  readonly path: string;
  readonly lines: number;
  readonly injected: string;
  readonly injectedLines: number;
  readonly benign: readonly string[];
  /** Epoch ms of the first injected line. */
  readonly injectedFrom: number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

export function generateAnomalyScenario(opts: {
  kind: InjectedKind;
  seed: number;
  path: string;
  /** Ordinary lines (the injected actor adds its own). */
  lines?: number;
  start?: number;
}): AnomalyScenario {
  const lines = opts.lines ?? 60_000;
  const rng = createRng(`anomaly:${opts.kind}:${opts.seed}`);
  const start = opts.start ?? Date.UTC(2026, 2, 2);
  const spanMs = 36 * HOUR;
  const book = createAddressBook(rng.fork('addresses'));
  const sink = createLineSink();
  const world = (label: string): NginxWorld => ({ rng: rng.fork(label), start, spanMs, site: 'shop.example.com' });
  const pages = sitePages(rng.fork('pages'));
  const benign = new Set<string>();

  const crawlWorld = world('crawlers');
  for (let i = 0; i < 4; i++) benign.add(crawler(crawlWorld, book, sink, pages, Math.round(lines * 0.03)).ip);
  const monWorld = world('monitors');
  for (let i = 0; i < 3; i++) benign.add(webMonitor(monWorld, book, sink, Math.round(lines * 0.01)).ip);
  const apiWorld = world('api');
  const apiClients = Array.from({ length: 12 }, () => createActorLog(sink, book.ipv4('benign')));
  const apiBudget = sink.count + Math.round(lines * 0.07);
  while (sink.count < apiBudget) apiSession(apiWorld, apiWorld.rng.pick(apiClients));
  const adminWorld = world('admin');
  const admins = [0, 1].map(() => ({
    log: createActorLog(sink, book.ipv4('benign')),
    ua: adminWorld.rng.pick(BROWSER_UAS),
  }));
  const adminBudget = sink.count + Math.round(lines * 0.02);
  while (sink.count < adminBudget) {
    const a = adminWorld.rng.pick(admins);
    adminSession(adminWorld, a.log, a.ua);
  }
  const visitors = createVisitors(world('visitors'), book, sink, pages, Math.max(30, Math.round(lines / 60)));
  while (sink.count < lines - 60) visitors.session();
  while (sink.count < lines) visitors.single();

  // The injected behaviour, on the second day only.
  const irng = rng.fork('injected');
  const ip = book.ipv4('attacker');
  const actor = createActorLog(sink, ip);
  const from = start + 26 * HOUR + irng.next() * 4 * HOUR;
  INJECT[opts.kind](irng, actor, from);

  const written = sink.writeTo(opts.path, nginxTime);
  for (const v of visitors.visitors) if (v.log.lines > 0) benign.add(v.log.ip);
  for (const c of apiClients) if (c.lines > 0) benign.add(c.ip);
  for (const a of admins) if (a.log.lines > 0) benign.add(a.log.ip);
  return {
    kind: opts.kind,
    seed: opts.seed,
    path: opts.path,
    lines: written.lines,
    injected: ip,
    injectedLines: actor.lines,
    benign: [...benign],
    injectedFrom: from,
  };
}

type Actor = ReturnType<typeof createActorLog>;

const INJECT: Readonly<Record<InjectedKind, (rng: Rng, log: Actor, from: number) => void>> = {
  'product-walker'(rng, log, from) {
    const ua = rng.pick(BROWSER_UAS);
    let t = from;
    let id = rng.int(1000, 5000);
    let prev: string | undefined;
    for (let n = rng.int(1500, 2500); n > 0; n--) {
      const uri = `/product/?id=${id++}`;
      const status = rng.chance(0.08) ? 404 : 200;
      request(log, t, { uri, status, bytes: bodyBytes(rng, status), ua, ...(prev ? { referrer: prev } : {}) });
      prev = `https://shop.example.com${uri}`;
      t += rng.int(3, 12) * SECOND;
    }
  },
  'credential-stuffer'(rng, log, from) {
    const ua = rng.pick(BROWSER_UAS);
    let t = from;
    for (let n = rng.int(400, 700); n > 0; n--) {
      if (rng.chance(0.1)) {
        request(log, t, { uri: '/my-account/', status: 200, bytes: bodyBytes(rng, 200), ua });
        t += rng.int(1, 4) * SECOND;
      }
      request(log, t, {
        method: 'POST',
        uri: '/my-account/',
        status: 200,
        bytes: rng.int(5_000, 9_000),
        ua,
        referrer: 'https://shop.example.com/my-account/',
      });
      t += rng.int(15, 45) * SECOND;
    }
  },
  'status-scraper'(rng, log, from) {
    const ua = rng.pick(BROWSER_UAS);
    let t = from;
    for (let n = rng.int(1200, 2000); n > 0; n--) {
      const uri = rng.chance(0.5)
        ? `/category/${rng.pick(WORDS)}/page/${rng.int(2, 60)}/`
        : `/shop/?orderby=price&paged=${rng.int(2, 200)}`;
      const r = rng.next();
      const status = r < 0.3 ? 429 : r < 0.35 ? 403 : 200;
      request(log, t, { uri, status, bytes: bodyBytes(rng, status), ua });
      t += rng.int(3, 9) * SECOND;
    }
  },
  'api-enumerator'(rng, log, from) {
    const ua = rng.pick(APP_UAS);
    let t = from;
    let id = rng.int(10, 200);
    for (let n = rng.int(1500, 2500); n > 0; n--) {
      const status = rng.chance(0.3) ? 404 : 200;
      request(log, t, {
        uri: `/wp-json/wc/store/v1/products/${id++}`,
        status,
        bytes: bodyBytes(rng, status, 'api'),
        ua,
      });
      t += rng.int(2, 8) * SECOND;
    }
  },
  'slow-scraper'(rng, log, from) {
    const ua = rng.pick(BROWSER_UAS);
    let t = from;
    let page = 2;
    for (let n = rng.int(500, 800); n > 0; n--) {
      // An index page, then the posts it lists, one at a time.
      const uri =
        n % 8 === 0 ? `/blog/page/${page++}/` : `/blog/${rng.pick(WORDS)}-${rng.pick(WORDS)}-${rng.int(1, 999)}/`;
      const status = rng.chance(0.04) ? 404 : 200;
      request(log, t, { uri, status, bytes: bodyBytes(rng, status), ua });
      t += rng.int(30, 90) * SECOND;
    }
  },
  'slow-credential-stuffer'(rng, log, from) {
    const ua = rng.pick(BROWSER_UAS);
    const form = 'https://shop.example.com/wp-login.php';
    let t = from;
    for (let n = rng.int(250, 350); n > 0; n--) {
      if (rng.chance(0.2)) {
        request(log, t, { uri: '/wp-login.php', status: 200, bytes: bodyBytes(rng, 200), ua });
        t += rng.int(2, 6) * SECOND;
      }
      request(log, t, {
        method: 'POST',
        uri: '/wp-login.php',
        status: 200,
        bytes: rng.int(4_000, 7_000),
        ua,
        referrer: form,
      });
      t += rng.int(60, 200) * SECOND;
    }
  },
  'token-stuffer'(rng, log, from) {
    const ua = rng.pick(APP_UAS);
    let t = from;
    for (let n = rng.int(500, 900); n > 0; n--) {
      const ok = rng.chance(0.01);
      request(log, t, {
        method: 'POST',
        uri: '/wp-json/jwt-auth/v1/token',
        status: ok ? 200 : 403,
        bytes: ok ? 640 : rng.int(180, 260),
        ua,
      });
      t += rng.int(10, 40) * SECOND;
    }
  },
};
