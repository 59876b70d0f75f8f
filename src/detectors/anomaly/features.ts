import type { EcsEvent, Observation } from '../../core/event.js';
import type { EntityType } from '../../core/entity.js';
import { isLoginAttempt, loginFailed } from './web-login.js';

/**
 * What the anomaly model looks at. Each profile is one population of entities compared with
 * each other (web clients by address, ssh clients by address, user accounts, services), with
 * its own feature list, its own robust statistics and its own half-space trees.
 *
 * Counts are modelled as log(1 + x) (a client with 1,200 distinct paths is as far from one with
 * 120 as that one is from 12), ratios as they are. `floor` is the smallest scale a deviation is
 * measured in, so a feature that is constant in the population (MAD 0) does not turn the first
 * small wiggle into an infinite z.
 */
export type ProfileName = 'web' | 'web-hour' | 'auth' | 'user' | 'service';

/** How a profile counts events into windows (several profiles may count the same way). */
export type Counting = 'web' | 'auth' | 'user' | 'service';

export interface FeatureSpec {
  readonly name: string;
  readonly kind: 'count' | 'ratio';
  readonly floor: number;
}

export interface ProfileSpec {
  readonly name: ProfileName;
  /** The accumulator and feature list this profile shares with its sibling scales. */
  readonly counts: Counting;
  /**
   * Short windows per window of this profile (1: the configured window). A longer scale sees
   * what is too sparse for the short one: a credential stuffer at two attempts a minute has too
   * few events per 10 minutes to be scored, and sixty an hour.
   */
  readonly span: number;
  readonly entity: EntityType;
  readonly features: readonly FeatureSpec[];
  /** Windows with fewer events than this are neither learned nor scored; `undefined`: the config's. */
  readonly minEvents?: number;
  /**
   * Anomalous windows an entity needs within this many consecutive windows before it alerts
   * (`undefined`: 1, the window alone). The 10-minute web scale asks for two: a window that
   * barely clears `min_events` is a burst of a sparse regular (an editor's busy ten minutes, an
   * app's sync) as often as it is an attack, and an attack goes on; the hour scale, which sees
   * the slow ones, decides alone.
   */
  readonly confirm?: number;
}

const count = (name: string): FeatureSpec => ({ name, kind: 'count', floor: 0.35 });
const ratio = (name: string): FeatureSpec => ({ name, kind: 'ratio', floor: 0.08 });

const WEB_FEATURES: readonly FeatureSpec[] = [
  count('requests'),
  ratio('client_errors'),
  ratio('server_errors'),
  ratio('redirects'),
  count('distinct_paths'),
  ratio('unique_path_share'),
  ratio('top_section_share'),
  ratio('asset_share'),
  ratio('post_share'),
  ratio('no_referrer_share'),
  count('mean_bytes'),
  count('user_agents'),
  ratio('login_failure_share'),
  ratio('direct_browser_share'),
];

/** Short windows per window of the long web scale (an hour with the default 10-minute window). */
export const LONG_SPAN = 6;

export const PROFILES: Readonly<Record<ProfileName, ProfileSpec>> = {
  web: { name: 'web', counts: 'web', span: 1, entity: 'ip', features: WEB_FEATURES, confirm: 2 },
  auth: {
    name: 'auth',
    counts: 'auth',
    span: 1,
    entity: 'ip',
    minEvents: 3,
    features: [count('attempts'), ratio('failure_share'), count('distinct_users')],
  },
  user: {
    name: 'user',
    counts: 'user',
    span: 1,
    entity: 'user',
    minEvents: 1,
    features: [
      count('logins'),
      count('failures'),
      count('distinct_sources'),
      count('new_sources'),
      ratio('unusual_hour'),
    ],
  },
  service: {
    name: 'service',
    counts: 'service',
    span: 1,
    entity: 'service',
    minEvents: 1,
    features: [count('events'), count('distinct_processes'), count('new_processes')],
  },
  // Last, so adding it left the other profiles' tree seeds (their index) unchanged.
  'web-hour': { name: 'web-hour', counts: 'web', span: LONG_SPAN, entity: 'ip', features: WEB_FEATURES },
};

export const transform = (f: FeatureSpec, raw: number): number => (f.kind === 'count' ? Math.log1p(raw) : raw);
export const untransform = (f: FeatureSpec, v: number): number => (f.kind === 'count' ? Math.expm1(v) : v);

/** Bounded sets per window: past this many distinct values the count saturates. */
export const MAX_DISTINCT = 4096;

/**
 * An agent that claims to be an interactive browser, for `direct_browser_share`: the share of
 * page requests such an agent makes with no referrer. A person navigates directly (a bookmark,
 * a typed address) now and then and follows links the rest of the time, so nearly all of a
 * browser's requests carry a referrer; a script posing as a browser fetches every page
 * directly. Crawlers, monitors and apps say what they are (a bot word, a contact URL,
 * `compatible;`) and do not count.
 */
const BROWSER_UA = /^Mozilla\/5\.0 \((?:Windows|Macintosh|X11|Linux|iPhone|iPad)/;
const DECLARED_AGENT = /bot|crawl|spider|slurp|compatible;|\+https?:|https?:\/\/|headless/i;

const ASSET = /\.(?:css|js|mjs|png|jpe?g|gif|ico|svg|webp|avif|woff2?|ttf|eot|map)$/i;

/** A 32-bit FNV-1a hash: distinct-value sets hold numbers, not attacker-sized strings. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One entity's window in progress (not persisted: a restart loses at most the open window). */
export interface WindowAcc {
  n: number;
  c: Record<string, number>;
  /** Distinct-value sets (hashes), bounded by MAX_DISTINCT. */
  sets: Record<string, Set<number>>;
  /** Sections (first path segment) and their counts. */
  sections: Map<string, number>;
  hours: number[];
  /** The first observations (evidence head) and the two latest (tail), kept by reference. */
  head: Observation[];
  tail: Observation[];
  /** Last user agent counted, so a client's repeated agent is not hashed on every line. */
  lastUa: string | undefined;
  /** Whether `lastUa` claims to be an interactive browser. */
  lastBrowser: boolean;
}

export function newWindow(): WindowAcc {
  return {
    n: 0,
    c: {},
    sets: {},
    sections: new Map(),
    hours: [],
    head: [],
    tail: [],
    lastUa: undefined,
    lastBrowser: false,
  };
}

const inc = (w: WindowAcc, k: string, by = 1): void => {
  w.c[k] = (w.c[k] ?? 0) + by;
};

/** Add to a bounded distinct set; returns whether the value was new. */
export function addDistinct(w: WindowAcc, k: string, value: string): boolean {
  let s = w.sets[k];
  if (!s) {
    s = new Set();
    w.sets[k] = s;
  }
  if (s.size >= MAX_DISTINCT) return false;
  const h = hash32(value);
  if (s.has(h)) return false;
  s.add(h);
  return true;
}

/** Which profile/entity pairs an event feeds. Attacker text only ever becomes a hashed set member. */
export function routes(event: EcsEvent): { profile: Counting; entity: string }[] {
  const out: { profile: Counting; entity: string }[] = [];
  const ip = typeof event['source.ip'] === 'string' ? event['source.ip'] : undefined;
  const status = event['http.response.status_code'];
  if (ip !== undefined && typeof status === 'number') out.push({ profile: 'web', entity: ip });
  const cats = event['event.category'];
  const outcome = event['event.outcome'];
  if (Array.isArray(cats) && cats.includes('authentication') && (outcome === 'success' || outcome === 'failure')) {
    if (ip !== undefined) out.push({ profile: 'auth', entity: ip });
    const user = event['user.name'];
    if (typeof user === 'string' && user.length > 0 && user.length <= 64) out.push({ profile: 'user', entity: user });
  }
  const proc = event['process.executable'] ?? event['process.name'];
  const service = event['service.name'] ?? event['log.syslog.appname'] ?? event['event.dataset'];
  if (typeof proc === 'string' && typeof service === 'string' && event['event.category'] !== undefined) {
    const c = event['event.category'];
    if (Array.isArray(c) && c.includes('process')) out.push({ profile: 'service', entity: service });
  }
  return out;
}

/** Count one event into its window. `history` answers "seen before for this entity?". */
export function accumulate(
  profile: Counting,
  w: WindowAcc,
  event: EcsEvent,
  time: number,
  history: { seenSource(ip: string): boolean; seenProcess(p: string): boolean },
): void {
  w.n++;
  switch (profile) {
    case 'web': {
      const status = event['http.response.status_code'] as number;
      if (status >= 500) inc(w, 'server_errors');
      else if (status >= 400) inc(w, 'client_errors');
      else if (status >= 300) inc(w, 'redirects');
      const url = typeof event['url.original'] === 'string' ? event['url.original'] : '';
      const path = typeof event['url.path'] === 'string' ? event['url.path'] : (url.split('?')[0] ?? '');
      addDistinct(w, 'paths', url.length > 0 ? url : path);
      const asset = ASSET.test(path);
      if (asset) inc(w, 'assets');
      // The section is the first path segment (`/product`), at most 40 characters.
      const cut = path.indexOf('/', 1);
      const key = path.slice(0, Math.min(cut < 0 ? path.length : cut, 40)) || '/';
      const seen = w.sections.get(key);
      if (seen !== undefined) w.sections.set(key, seen + 1);
      else if (w.sections.size < 64) w.sections.set(key, 1);
      const method = event['http.request.method'];
      if (method === 'POST') inc(w, 'posts');
      if (isLoginAttempt(method, path) && loginFailed(path, status)) inc(w, 'login_failures');
      const ref = event['http.request.referrer'];
      const noReferrer = typeof ref !== 'string' || ref === '' || ref === '-';
      if (noReferrer) inc(w, 'no_referrer');
      const bytes = event['http.response.body.bytes'];
      if (typeof bytes === 'number' && Number.isFinite(bytes)) inc(w, 'bytes', bytes);
      const ua = event['user_agent.original'];
      const agent = typeof ua === 'string' ? ua : '-';
      if (agent !== w.lastUa) {
        w.lastUa = agent;
        w.lastBrowser = BROWSER_UA.test(agent) && !DECLARED_AGENT.test(agent);
        addDistinct(w, 'uas', agent);
      }
      if (w.lastBrowser && noReferrer && !asset) inc(w, 'direct_browser');
      return;
    }
    case 'auth': {
      if (event['event.outcome'] === 'failure') inc(w, 'failures');
      const user = event['user.name'];
      if (typeof user === 'string') addDistinct(w, 'users', user);
      return;
    }
    case 'user': {
      const ip = event['source.ip'];
      if (event['event.outcome'] === 'failure') inc(w, 'failures');
      else {
        inc(w, 'logins');
        w.hours.push(new Date(time).getUTCHours());
      }
      if (typeof ip === 'string' && addDistinct(w, 'sources', ip) && !history.seenSource(ip)) inc(w, 'new_sources');
      return;
    }
    case 'service': {
      const proc = String(event['process.executable'] ?? event['process.name'] ?? '');
      if (addDistinct(w, 'processes', proc) && !history.seenProcess(proc)) inc(w, 'new_processes');
      return;
    }
  }
}

/** The window's raw feature values, in the profile's feature order. */
export function finalize(profile: Counting, w: WindowAcc, unusualHour: (hours: readonly number[]) => number): number[] {
  const n = Math.max(1, w.n);
  const c = (k: string): number => w.c[k] ?? 0;
  const distinct = (k: string): number => w.sets[k]?.size ?? 0;
  switch (profile) {
    case 'web': {
      let top = 0;
      for (const v of w.sections.values()) top = Math.max(top, v);
      return [
        w.n,
        c('client_errors') / n,
        c('server_errors') / n,
        c('redirects') / n,
        distinct('paths'),
        distinct('paths') / n,
        top / n,
        c('assets') / n,
        c('posts') / n,
        c('no_referrer') / n,
        c('bytes') / n,
        distinct('uas'),
        c('login_failures') / n,
        c('direct_browser') / n,
      ];
    }
    case 'auth':
      return [w.n, c('failures') / n, distinct('users')];
    case 'user':
      return [c('logins'), c('failures'), distinct('sources'), c('new_sources'), unusualHour(w.hours)];
    case 'service':
      return [w.n, distinct('processes'), c('new_processes')];
  }
}
