import type { AddressBook } from './addresses.js';
import {
  type ActorLog,
  type AttackerTruth,
  attackerTruth,
  createActorLog,
  type NginxAttackKind,
} from './ground-truth.js';
import type { LineSink } from './line-sink.js';
import {
  CMDI_PARAMS,
  CMDI_PATHS,
  CMDI_VALUES,
  DIRBUST,
  DIRBUST_EXT,
  encodeVariant,
  GARBAGE_REQUESTS,
  LOG4SHELL,
  SCANNER_UAS,
  SENSITIVE,
  SHELLSHOCK_UA,
  SQLI,
  TRAVERSAL_PARAMS,
  TRAVERSAL_PATHS,
  TRAVERSAL_VALUES,
  XSS,
} from './nginx-payloads.js';
import { bodyBytes, type NginxWorld, type Request, request } from './nginx-request.js';
import { BROWSER_UAS } from './nginx-words.js';

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, Math.round(v)));

/** User agents of attack scripts that pretend to be browsers (often outdated ones). */
const FAKE_UAS: readonly string[] = [
  ...BROWSER_UAS.slice(0, 3),
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:77.0) Gecko/20100101 Firefox/77.0',
  'Mozilla/5.0',
  'python-requests/2.28.1',
  'Go-http-client/1.1',
];

/** Context an attacker needs: where to put itself, and benign addresses to frame. */
export interface AttackEnv {
  readonly world: NginxWorld;
  readonly book: AddressBook;
  readonly sink: LineSink;
  /** Benign addresses an attacker may write into its referrer or user agent. */
  readonly frame: readonly string[];
  /** Collects the framed addresses actually written. */
  readonly framed: Set<string>;
}

interface Attack {
  readonly log: ActorLog;
  readonly ua: string;
  /** Referrer or user agent carrying a benign address, for one attacker in ten. */
  readonly referrer?: string;
  t: number;
  readonly gapMs: number;
}

function begin(env: AttackEnv, expectedRequests: number, gapMs: number, ua?: string): Attack {
  const { rng } = env.world;
  const ip = rng.chance(0.1) ? env.book.ipv6('attacker') : env.book.ipv4('attacker');
  const log = createActorLog(env.sink, ip);
  let referrer: string | undefined;
  let agent = ua ?? rng.pick(FAKE_UAS);
  if (env.frame.length > 0 && rng.chance(0.1)) {
    const victim = rng.pick(env.frame);
    env.framed.add(victim);
    // A naive parser that splits on spaces or takes the last address would pick this one up.
    if (rng.chance(0.5)) referrer = `http://${victim.includes(':') ? `[${victim}]` : victim}/`;
    else agent = `${agent} ${victim} - - [${new Date(env.world.start).toISOString()}] "GET / HTTP/1.1" 200`;
  }
  const t = env.world.start + rng.next() * Math.max(0, env.world.spanMs - expectedRequests * gapMs * 1.5);
  return { log, ua: agent, ...(referrer === undefined ? {} : { referrer }), t, gapMs };
}

/** Write one hostile request and count it. */
function hit(env: AttackEnv, a: Attack, r: Omit<Request, 'ua'> & { ua?: string }): void {
  const { rng } = env.world;
  const req: Request = {
    ...r,
    ua: r.ua ?? a.ua,
    ...(a.referrer === undefined || r.referrer !== undefined ? {} : { referrer: a.referrer }),
  };
  request(a.log, a.t, { ...req, bytes: r.bytes ?? bodyBytes(rng, r.status) });
  a.log.attempts++;
  a.t += a.gapMs * (0.3 + rng.next() * 1.4);
}

const callback = (env: AttackEnv, a: Attack): string =>
  env.world.rng.chance(0.5) ? a.log.ip : `c${env.world.rng.hex(12)}.oast.fun`;

/** Dir-busting: hundreds of guessed paths, mostly 404, sometimes opened by non-HTTP garbage. */
export function probe404(env: AttackEnv, remaining: number): AttackerTruth {
  const { rng } = env.world;
  const n = Math.max(25, Math.min(clamp(rng.logNormal(300, 2.5), 25, 5000), remaining));
  const a = begin(env, n, clamp(rng.logNormal(150, 2), 20, 2000));
  let left = n;
  if (rng.chance(0.3)) {
    hit(env, a, { uri: rng.pick(GARBAGE_REQUESTS), status: 400, rawRequest: true, ua: '-' });
    left--;
  }
  for (; left > 0; left--) {
    const path = `/${rng.pick(DIRBUST)}${rng.pick(DIRBUST_EXT)}`;
    const r = rng.next();
    hit(env, a, { uri: path, status: r < 0.9 ? 404 : r < 0.95 ? 403 : 301 });
  }
  return attackerTruth(a.log, 'probe-404');
}

export function sensitiveFiles(env: AttackEnv): AttackerTruth {
  const { rng } = env.world;
  const n = rng.int(5, SENSITIVE.length);
  const a = begin(env, n, rng.int(200, 3000));
  const start = rng.int(0, SENSITIVE.length - 1);
  for (let i = 0; i < n; i++) {
    const path = SENSITIVE[(start + i) % SENSITIVE.length] as string;
    hit(env, a, { uri: path, status: path.startsWith('/.git') || path.startsWith('/.ht') ? 403 : 404 });
  }
  return attackerTruth(a.log, 'sensitive-files');
}

const SQLI_TARGETS = [
  '/product/?id=',
  '/item.php?id=',
  '/?s=',
  '/index.php?option=com_content&view=article&id=',
  '/shop/?orderby=',
  '/?p=',
];

export function sqli(env: AttackEnv, remaining: number): AttackerTruth {
  const { rng } = env.world;
  const n = Math.max(3, Math.min(clamp(rng.logNormal(40, 2.5), 3, 800), remaining));
  const tool = n > 40 && rng.chance(0.5) ? (SCANNER_UAS[1]?.[0] as string) : undefined;
  const a = begin(env, n, rng.int(300, 3000), tool);
  const target = rng.pick(SQLI_TARGETS);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    hit(env, a, {
      uri: `${target}${encodeVariant(rng, rng.pick(SQLI))}`,
      status: r < 0.6 ? 200 : r < 0.85 ? 500 : 403,
    });
  }
  return attackerTruth(a.log, 'sqli');
}

const XSS_TARGETS = [
  '/?s=',
  '/contact/?name=',
  '/search?q=',
  '/wp-admin/admin-ajax.php?action=search&term=',
  '/?redirect_to=',
];

export function xss(env: AttackEnv): AttackerTruth {
  const { rng } = env.world;
  const n = clamp(rng.logNormal(15, 2.5), 3, 120);
  const a = begin(env, n, rng.int(300, 4000));
  const target = rng.pick(XSS_TARGETS);
  for (let i = 0; i < n; i++) {
    hit(env, a, { uri: `${target}${encodeVariant(rng, rng.pick(XSS))}`, status: rng.chance(0.8) ? 200 : 403 });
  }
  return attackerTruth(a.log, 'xss');
}

export function traversal(env: AttackEnv): AttackerTruth {
  const { rng } = env.world;
  const n = clamp(rng.logNormal(12, 2.2), 3, 80);
  const a = begin(env, n, rng.int(200, 3000));
  for (let i = 0; i < n; i++) {
    const uri = rng.chance(0.7)
      ? `${rng.pick(TRAVERSAL_PARAMS)}${rng.pick(TRAVERSAL_VALUES)}`
      : rng.pick(TRAVERSAL_PATHS);
    const r = rng.next();
    hit(env, a, { uri, status: r < 0.4 ? 400 : r < 0.85 ? 404 : 200 });
  }
  return attackerTruth(a.log, 'traversal');
}

/** Log4Shell callers: a handful of requests with the lookup in the UA, referrer, query or path. */
export function log4shell(env: AttackEnv): AttackerTruth {
  const { rng } = env.world;
  const n = rng.int(1, 8);
  const a = begin(env, n, rng.int(500, 20_000));
  for (let i = 0; i < n; i++) {
    const payload = rng.pick(LOG4SHELL).replace('{cb}', callback(env, a));
    const where = rng.int(0, 3);
    const status = rng.pick([200, 404, 400]);
    if (where === 0) hit(env, a, { uri: '/', status, ua: payload });
    else if (where === 1) hit(env, a, { uri: '/', status, referrer: payload });
    else if (where === 2) hit(env, a, { uri: `/?x=${encodeVariant(rng, payload)}`, status });
    else hit(env, a, { uri: `/${encodeVariant(rng, payload)}`, status });
  }
  return attackerTruth(a.log, 'log4shell');
}

/** Command injection: parameters, IoT botnet exploit paths, Shellshock in the user agent. */
export function cmdi(env: AttackEnv): AttackerTruth {
  const { rng } = env.world;
  const n = clamp(rng.logNormal(8, 2.2), 2, 40);
  const a = begin(env, n, rng.int(300, 5000));
  for (let i = 0; i < n; i++) {
    const cb = callback(env, a);
    const r = rng.next();
    if (r < 0.55) {
      const value = rng.pick(CMDI_VALUES).replace('{cb}', cb);
      hit(env, a, { uri: `${rng.pick(CMDI_PARAMS)}${encodeVariant(rng, value)}`, status: rng.pick([200, 404, 400]) });
    } else if (r < 0.85) {
      hit(env, a, { uri: rng.pick(CMDI_PATHS).replace('{cb}', cb), status: rng.pick([404, 400]) });
    } else {
      hit(env, a, { uri: '/cgi-bin/test.cgi', status: 404, ua: SHELLSHOCK_UA.replace('{cb}', cb) });
    }
  }
  return attackerTruth(a.log, 'cmdi');
}

/** Known scanners, recognisable by user agent, each sending its usual number of requests. */
export function badUa(env: AttackEnv, remaining: number): AttackerTruth {
  const { rng } = env.world;
  const [uaTemplate, lo, hi] = rng.pick(SCANNER_UAS);
  const n = Math.max(lo, Math.min(rng.int(lo, hi), remaining));
  const a = begin(env, n, clamp(rng.logNormal(200, 2), 20, 3000), uaTemplate);
  const nmap = uaTemplate.includes('Nmap');
  for (let i = 0; i < n; i++) {
    const ua = uaTemplate.replace('{n}', String(rng.int(1, 9999)).padStart(6, '0'));
    let uri: string;
    if (i === 0) uri = '/';
    else if (nmap)
      uri = rng.pick(['/nmaplowercheck1732', '/HNAP1', '/evox/about', '/sdk', '/robots.txt', '/.git/HEAD']);
    else if (uaTemplate.startsWith('sqlmap')) uri = `/product/?id=${encodeVariant(rng, rng.pick(SQLI))}`;
    else if (uaTemplate.startsWith('WPScan'))
      uri = rng.pick([
        '/wp-json/wp/v2/users',
        '/readme.html',
        '/wp-content/plugins/akismet/readme.txt',
        '/?author=1',
        '/wp-includes/version.php',
      ]);
    else if (uaTemplate.includes('Email') || uaTemplate.includes('Indy'))
      uri = rng.pick(['/contact/', '/about/', '/blog/']);
    else uri = rng.chance(0.2) ? rng.pick(SENSITIVE) : `/${rng.pick(DIRBUST)}${rng.pick(DIRBUST_EXT)}`;
    const status =
      uri === '/' || uri.startsWith('/contact') || uri.startsWith('/about') || uri.startsWith('/blog')
        ? 200
        : rng.chance(0.9)
          ? 404
          : 403;
    hit(env, a, { uri, status, ua });
  }
  return attackerTruth(a.log, 'bad-ua');
}

/** WordPress password guessing through wp-login.php or xmlrpc.php system.multicall. */
export function wpBruteforce(env: AttackEnv, remaining: number): AttackerTruth {
  const { rng } = env.world;
  const n = Math.max(20, Math.min(clamp(rng.logNormal(150, 2.5), 20, 3000), remaining));
  const a = begin(env, n, rng.int(800, 6000));
  const xmlrpc = rng.chance(0.4);
  let left = n;
  if (rng.chance(0.5)) {
    hit(env, a, { uri: '/?author=1', status: 301 });
    hit(env, a, { uri: '/wp-json/wp/v2/users', status: 200, bytes: rng.int(800, 3000) });
    left -= 2;
  }
  if (!xmlrpc) {
    hit(env, a, { uri: '/wp-login.php', status: 200 });
    left--;
  }
  for (; left > 0; left--) {
    hit(env, a, {
      method: 'POST',
      uri: xmlrpc ? '/xmlrpc.php' : '/wp-login.php',
      status: 200,
      bytes: xmlrpc ? rng.int(300, 3000) : rng.int(4000, 4800),
    });
  }
  return attackerTruth(a.log, 'wp-bruteforce');
}

export type NginxAttacker = (env: AttackEnv, remaining: number) => AttackerTruth;

export const NGINX_ATTACKERS: Readonly<Record<NginxAttackKind, NginxAttacker>> = {
  'probe-404': probe404,
  'sensitive-files': sensitiveFiles,
  sqli,
  xss,
  traversal,
  log4shell,
  cmdi,
  'bad-ua': badUa,
  'wp-bruteforce': wpBruteforce,
};
