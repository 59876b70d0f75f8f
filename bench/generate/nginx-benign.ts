import type { AddressBook } from './addresses.js';
import { type ActorLog, createActorLog } from './ground-truth.js';
import type { LineSink } from './line-sink.js';
import { bodyBytes, type NginxWorld, request } from './nginx-request.js';
import {
  APP_UAS,
  BENIGN_MISSING,
  BROWSER_UAS,
  CRAWLER_UAS,
  MONITOR_UAS,
  STATIC_ASSETS,
  TRICKY_SEARCHES,
  TRICKY_SLUGS,
  WORDS,
} from './nginx-words.js';
import type { Rng } from './rng.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The pages of the site, made once per world so every actor browses the same site. */
export function sitePages(rng: Rng): string[] {
  const pages = ['/', '/blog/', '/shop/', '/about/', '/contact/', '/cart/', '/my-account/', '/feed/'];
  for (let i = 0; i < 240; i++) pages.push(`/blog/${rng.pick(WORDS)}-${rng.pick(WORDS)}-${rng.pick(WORDS)}/`);
  for (let i = 0; i < 160; i++) pages.push(`/product/${rng.pick(WORDS)}-${rng.pick(WORDS)}-${rng.int(1, 999)}/`);
  for (const w of WORDS) pages.push(`/category/${w}/`);
  for (const slug of TRICKY_SLUGS) pages.push(`/blog/${slug}/`);
  return pages;
}

/** What a browser sends for a GET form: spaces as `+`, the rest percent-encoded. */
const formEncode = (text: string): string => encodeURIComponent(text).replace(/%20/g, '+');

interface Visitor {
  readonly log: ActorLog;
  readonly ua: string;
  readonly weight: number;
  seen: boolean;
}

/** People with browsers: pages, their assets, 304s on return, the odd benign 404. */
export function createVisitors(
  world: NginxWorld,
  book: AddressBook,
  sink: LineSink,
  pages: readonly string[],
  count: number,
) {
  const { rng, site } = world;
  const visitors: Visitor[] = [];
  for (let i = 0; i < count; i++) {
    const ip = rng.chance(0.2) ? book.ipv6('benign') : book.ipv4('benign');
    visitors.push({
      log: createActorLog(sink, ip),
      ua: rng.pick(BROWSER_UAS),
      weight: rng.logNormal(1, 2.5),
      seen: false,
    });
  }
  const total = visitors.reduce((s, v) => s + v.weight, 0);
  const pick = (): Visitor => {
    let r = rng.next() * total;
    for (const v of visitors) {
      r -= v.weight;
      if (r < 0) return v;
    }
    return visitors[visitors.length - 1] as Visitor;
  };
  const externalRefs = [
    'https://www.google.com/',
    'https://www.bing.com/',
    'https://duckduckgo.com/',
    'https://t.co/x1Yz',
    undefined,
  ];

  const pageView = (v: Visitor, t: number, uri: string, referrer: string | undefined, first: boolean): number => {
    const broken = rng.chance(0.01);
    const status = broken ? 404 : 200;
    request(v.log, t, {
      uri,
      status,
      bytes: bodyBytes(rng, status),
      ua: v.ua,
      ...(referrer === undefined ? {} : { referrer }),
    });
    let at = t + rng.int(40, 400);
    const pageUrl = `https://${site}${uri}`;
    const assets = first ? STATIC_ASSETS : STATIC_ASSETS.filter(() => rng.chance(0.15));
    for (const a of assets) {
      const s = v.seen && rng.chance(0.7) ? 304 : 200;
      request(v.log, at, { uri: a, status: s, bytes: bodyBytes(rng, s, 'asset'), ua: v.ua, referrer: pageUrl });
      at += rng.int(5, 120);
    }
    for (let i = rng.int(0, first ? 6 : 2); i > 0; i--) {
      const img = `/wp-content/uploads/2024/${String(rng.int(1, 12)).padStart(2, '0')}/${rng.pick(WORDS)}-${rng.int(1, 300)}.jpg`;
      request(v.log, at, { uri: img, status: 200, bytes: bodyBytes(rng, 200, 'asset'), ua: v.ua, referrer: pageUrl });
      at += rng.int(5, 200);
    }
    return at;
  };

  const session = (): void => {
    const v = pick();
    let t = world.start + rng.next() * world.spanMs;
    let uri = rng.chance(0.4) ? '/' : rng.pick(pages);
    t = pageView(v, t, uri, rng.pick(externalRefs), !v.seen);
    if (rng.chance(0.08)) {
      const miss = rng.pick(BENIGN_MISSING);
      request(v.log, t + rng.int(10, 300), { uri: miss, status: 404, bytes: bodyBytes(rng, 404), ua: v.ua });
    }
    for (let n = rng.int(0, 7); n > 0; n--) {
      const from = `https://${site}${uri}`;
      t += rng.logNormal(25 * SECOND, 2.5);
      if (rng.chance(0.12)) {
        const q = rng.chance(0.3) ? rng.pick(TRICKY_SEARCHES) : `${rng.pick(WORDS)} ${rng.pick(WORDS)}`;
        uri = `/?s=${formEncode(q)}`;
      } else if (rng.chance(0.03)) {
        request(v.log, t, {
          method: 'POST',
          uri: '/?wc-ajax=add_to_cart',
          status: 200,
          bytes: rng.int(200, 900),
          ua: v.ua,
          referrer: from,
        });
        continue;
      } else {
        uri = rng.pick(pages);
      }
      t = pageView(v, t, uri, from, false);
    }
    v.seen = true;
  };

  /** One lone request (an asset revalidation): fills the file to the exact size asked. */
  const single = (): void => {
    const v = pick();
    const status = rng.chance(0.6) ? 304 : 200;
    request(v.log, world.start + rng.next() * world.spanMs, {
      uri: rng.pick(STATIC_ASSETS),
      status,
      bytes: bodyBytes(rng, status, 'asset'),
      ua: v.ua,
      referrer: `https://${site}/`,
    });
  };

  return { session, single, visitors };
}

/** A search-engine crawler: steady all day, robots.txt now and then, at most one 404 per 10 minutes. */
export function crawler(
  world: NginxWorld,
  book: AddressBook,
  sink: LineSink,
  pages: readonly string[],
  remaining: number,
): ActorLog {
  const { rng } = world;
  const log = createActorLog(sink, rng.chance(0.3) ? book.ipv6('benign') : book.ipv4('benign'));
  const ua = rng.pick(CRAWLER_UAS);
  const meanGap = rng.int(10, 90) * SECOND;
  let last404 = Number.NEGATIVE_INFINITY;
  let t = world.start + rng.next() * meanGap;
  const end = world.start + world.spanMs;
  while (t < end && log.lines < remaining) {
    const r = rng.next();
    if (r < 0.03) request(log, t, { uri: '/robots.txt', status: 200, bytes: rng.int(60, 400), ua });
    else if (r < 0.05) request(log, t, { uri: '/sitemap.xml', status: 200, bytes: rng.int(2000, 9000), ua });
    else if (r < 0.07 && t - last404 > 10 * MINUTE) {
      last404 = t;
      request(log, t, { uri: `/blog/${rng.pick(WORDS)}-old-post/`, status: 404, bytes: bodyBytes(rng, 404), ua });
    } else {
      const s = rng.chance(0.1) ? 304 : 200;
      request(log, t, { uri: rng.pick(pages), status: s, bytes: bodyBytes(rng, s), ua });
    }
    t += rng.exp(meanGap);
  }
  return log;
}

/** Health checks by uptime services and the operator's own scripts, every minute or so. */
export function webMonitor(world: NginxWorld, book: AddressBook, sink: LineSink, remaining: number): ActorLog {
  const { rng } = world;
  const log = createActorLog(sink, book.ipv4('benign'));
  const ua = rng.pick(MONITOR_UAS);
  const every = rng.pick([30, 60, 60, 120, 300]) * SECOND;
  const uri = rng.pick(['/', '/healthz', '/wp-json/', '/?health=1']);
  const method = ua.startsWith('python') || ua.startsWith('Blackbox') ? 'GET' : rng.pick(['GET', 'HEAD']);
  let t = world.start + rng.next() * every;
  while (t < world.start + world.spanMs && log.lines < remaining) {
    request(log, t, { method, uri, status: 200, bytes: method === 'HEAD' ? 0 : rng.int(100, 30_000), ua });
    t += every + rng.int(-500, 500);
  }
  return log;
}

/** Mobile app users calling the store API; an expired token gives one benign 401. */
export function apiSession(world: NginxWorld, log: ActorLog): void {
  const { rng } = world;
  const ua = rng.pick(APP_UAS);
  let t = world.start + rng.next() * world.spanMs;
  if (rng.chance(0.1)) {
    request(log, t, { uri: '/wp-json/wc/store/v1/cart', status: 401, bytes: 120, ua });
    t += rng.int(200, 2000);
    request(log, t, { method: 'POST', uri: '/wp-json/jwt-auth/v1/token', status: 200, bytes: 640, ua });
  }
  for (let n = rng.int(3, 20); n > 0; n--) {
    t += rng.logNormal(4 * SECOND, 3);
    const r = rng.next();
    if (r < 0.6) {
      request(log, t, {
        uri: `/wp-json/wc/store/v1/products?page=${rng.int(1, 9)}&per_page=20`,
        status: 200,
        bytes: bodyBytes(rng, 200, 'api'),
        ua,
      });
    } else if (r < 0.85) {
      request(log, t, {
        uri: `/wp-json/wc/store/v1/products/${rng.int(10, 999)}`,
        status: rng.chance(0.97) ? 200 : 404,
        bytes: bodyBytes(rng, 200, 'api'),
        ua,
      });
    } else {
      request(log, t, {
        method: 'POST',
        uri: '/wp-json/wc/store/v1/cart/add-item',
        status: 201,
        bytes: bodyBytes(rng, 200, 'api'),
        ua,
      });
    }
  }
}

/** The site's editors: log in (a typo at most once), then work in wp-admin with the heartbeat on. */
export function adminSession(world: NginxWorld, log: ActorLog, ua: string): void {
  const { rng, site } = world;
  let t = world.start + rng.next() * (world.spanMs - 2 * 3600 * SECOND);
  const loginPage = `https://${site}/wp-login.php`;
  request(log, t, { uri: '/wp-login.php', status: 200, bytes: bodyBytes(rng, 200), ua });
  if (rng.chance(0.15)) {
    t += rng.int(5, 15) * SECOND;
    request(log, t, {
      method: 'POST',
      uri: '/wp-login.php',
      status: 200,
      bytes: bodyBytes(rng, 200),
      ua,
      referrer: loginPage,
    });
  }
  t += rng.int(5, 15) * SECOND;
  request(log, t, {
    method: 'POST',
    uri: '/wp-login.php',
    status: 302,
    bytes: bodyBytes(rng, 302),
    ua,
    referrer: loginPage,
  });
  const end = t + rng.int(10, 90) * MINUTE;
  const adminPages = [
    '/wp-admin/',
    '/wp-admin/edit.php',
    '/wp-admin/post-new.php',
    '/wp-admin/upload.php',
    '/wp-admin/admin.php?page=wc-orders',
  ];
  while (t < end) {
    t += rng.int(15, 60) * SECOND;
    if (rng.chance(0.3)) {
      request(log, t, {
        uri: rng.pick(adminPages),
        status: 200,
        bytes: bodyBytes(rng, 200),
        ua,
        referrer: `https://${site}/wp-admin/`,
      });
    } else {
      request(log, t, {
        method: 'POST',
        uri: '/wp-admin/admin-ajax.php',
        status: 200,
        bytes: rng.int(40, 400),
        ua,
        referrer: `https://${site}/wp-admin/`,
      });
    }
  }
}
