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
  /**
   * Follows from which of its usual requests (method and URL) an entity makes and how many:
   * how busy the window is, how many distinct paths and sections, how much is posted, how big
   * the answers are on average. An entity whose window is made of requests it made before is
   * not judged on these against its own baseline: see `usualForItself` in anomaly-detector.ts.
   */
  readonly repertoire?: boolean;
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

const repertoire = (f: FeatureSpec): FeatureSpec => ({ ...f, repertoire: true });

const WEB_FEATURES: readonly FeatureSpec[] = [
  repertoire(count('requests')),
  ratio('client_errors'),
  ratio('server_errors'),
  ratio('redirects'),
  repertoire(count('distinct_paths')),
  repertoire(ratio('unique_path_share')),
  repertoire(ratio('top_section_share')),
  ratio('asset_share'),
  repertoire(ratio('post_share')),
  ratio('no_referrer_share'),
  repertoire(count('mean_bytes')),
  count('user_agents'),
  ratio('login_failure_share'),
  ratio('direct_browser_share'),
  ratio('bare_browser_share'),
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

/** Hashes an entity's history keeps (sources, processes, requests). */
export const MAX_HISTORY = 64;

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
/*
 * And for `bare_browser_share`: the share of requests that are pages fetched by such an agent
 * in a window with no asset requests at all. A browser renders what it fetches, so a person's
 * pages come with their stylesheets, scripts and images (from the cache they come back as
 * 304s, still requests); a script that claims to be a browser fetches the pages alone. Counted
 * per window at the end: one asset request makes the window's share 0.
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

/**
 * One entity's window in progress (not persisted: a restart loses at most the open window).
 * One object of fixed shape with a counter per quantity; the distinct sets, sections and hours
 * exist only for the countings that use them. A window per entity per 10 minutes is the
 * detector's main allocation, and a record of counters keyed by name grows a new hidden class
 * (and a dictionary) per window.
 */
export class WindowAcc {
  n = 0;
  clientErrors = 0;
  serverErrors = 0;
  redirects = 0;
  assets = 0;
  posts = 0;
  loginFailures = 0;
  noReferrer = 0;
  bytes = 0;
  directBrowser = 0;
  browserPages = 0;
  failures = 0;
  logins = 0;
  newSources = 0;
  newProcesses = 0;
  /** Web: requests (method and URL) the entity made in an earlier window (see `familiarShare`). */
  familiar = 0;
  /**
   * Web: the window's distinct requests (method and URL) and how often each was made, for the
   * entity's history and for recognising a peer's repertoire; at most MAX_HISTORY + 1 (past
   * that, the window has no repertoire to remember or match, and further ones go uncounted).
   */
  requests: Map<number, number> | undefined = undefined;
  /** Distinct-value sets (hashes), bounded by MAX_DISTINCT. */
  paths: Set<number> | undefined = undefined;
  uas: Set<number> | undefined = undefined;
  users: Set<number> | undefined = undefined;
  sources: Set<number> | undefined = undefined;
  /**
   * The first user (auth) or source (user) hash, -1 before one: most login windows see one, and
   * the set is made only for a second (a window lives long enough to be promoted by the GC).
   */
  user1 = -1;
  source1 = -1;
  processes: Set<number> | undefined = undefined;
  /** Sections (first path segment) and their counts. */
  sections: Map<string, number> | undefined = undefined;
  /** UTC hours of successful logins. */
  hours: number[] = NO_HOURS;
  /**
   * The first observations (evidence head) and the two latest (tail), kept by reference; none
   * for a window that cannot raise an anomaly (the learning period). Kept observations live
   * until the window closes, long enough to be copied into the old generation: a million-line
   * replay spent more time collecting them than the model spent on its windows.
   */
  head: Observation[] | undefined;
  tail: Observation[] | undefined;
  /** Last user agent counted, so a client's repeated agent is not hashed on every line. */
  lastUa: string | undefined = undefined;
  /** Whether `lastUa` claims to be an interactive browser. */
  lastBrowser = false;
  /** The detector's handle on the window's entity, taken when the window opened (if known then). */
  entity: unknown = undefined;

  /**
   * @param history Hashes the entity was seen with in earlier windows (sources, processes or
   *   URLs; `undefined`: an entity with no history, for which nothing is new).
   * @param evidence Whether to keep evidence lines.
   */
  constructor(
    public history: readonly number[] | undefined,
    evidence: boolean,
  ) {
    this.head = evidence ? [] : undefined;
    this.tail = evidence ? [] : undefined;
  }

  /**
   * Start over as `new WindowAcc(history, evidence)` would, keeping the object and its evidence
   * arrays. A closed window is recycled for the next one opened: a window lives long enough to
   * be copied into the old generation, and one per address and user every ten minutes was
   * about a third of what a day's ssh replay promoted. Collections are dropped, not cleared:
   * a closed window's sets are its own until the GC takes them.
   */
  reset(history: readonly number[] | undefined, evidence: boolean): this {
    this.n = 0;
    this.clientErrors = 0;
    this.serverErrors = 0;
    this.redirects = 0;
    this.assets = 0;
    this.posts = 0;
    this.loginFailures = 0;
    this.noReferrer = 0;
    this.bytes = 0;
    this.directBrowser = 0;
    this.browserPages = 0;
    this.failures = 0;
    this.logins = 0;
    this.newSources = 0;
    this.newProcesses = 0;
    this.familiar = 0;
    this.requests = undefined;
    this.paths = undefined;
    this.uas = undefined;
    this.users = undefined;
    this.sources = undefined;
    this.user1 = -1;
    this.source1 = -1;
    this.processes = undefined;
    this.sections = undefined;
    this.hours = NO_HOURS;
    this.history = history;
    if (evidence) {
      if (this.head === undefined) this.head = [];
      else this.head.length = 0;
      if (this.tail === undefined) this.tail = [];
      else this.tail.length = 0;
    } else {
      this.head = undefined;
      this.tail = undefined;
    }
    this.lastUa = undefined;
    this.lastBrowser = false;
    this.entity = undefined;
    return this;
  }
}

const NO_HOURS: number[] = [];

export function newWindow(history?: readonly number[], evidence = true): WindowAcc {
  return new WindowAcc(history, evidence);
}

/** Add a hash to a bounded distinct set; returns whether it was new (and there was room). */
function addDistinct(set: Set<number>, h: number): boolean {
  if (set.size >= MAX_DISTINCT || set.has(h)) return false;
  set.add(h);
  return true;
}

/** Whether a hash is new for the window's entity (nothing is new without history). */
const isNew = (w: WindowAcc, h: number): boolean =>
  w.history !== undefined && w.history.length > 0 && !w.history.includes(h);

/** One profile/entity pair an event feeds. */
export interface Route {
  profile: Counting;
  entity: string;
}

/** Room for every route one event can have (web, auth, user, service). */
export const newRoutes = (): Route[] => Array.from({ length: 4 }, () => ({ profile: 'web', entity: '' }));

/**
 * Which profile/entity pairs an event feeds, written into `out` (from newRoutes, reused for
 * every event: this runs on every line); returns how many. Attacker text only ever becomes a
 * hashed set member.
 */
export function routes(event: EcsEvent, out: Route[]): number {
  let n = 0;
  // Cheapest tests first: most lines of a system log are neither web requests nor logins nor
  // process events, and every field read here is a look-up by name.
  const ip = typeof event['source.ip'] === 'string' ? event['source.ip'] : undefined;
  if (ip !== undefined && typeof event['http.response.status_code'] === 'number') n = put(out, n, 'web', ip);
  const cats = event['event.category'];
  if (!Array.isArray(cats)) return n;
  if (cats.includes('authentication')) {
    const outcome = event['event.outcome'];
    if (outcome === 'success' || outcome === 'failure') {
      if (ip !== undefined) n = put(out, n, 'auth', ip);
      const user = event['user.name'];
      if (typeof user === 'string' && user.length > 0 && user.length <= 64) n = put(out, n, 'user', user);
    }
  }
  if (cats.includes('process')) {
    const proc = event['process.executable'] ?? event['process.name'];
    const service = event['service.name'] ?? event['log.syslog.appname'] ?? event['event.dataset'];
    if (typeof proc === 'string' && typeof service === 'string') n = put(out, n, 'service', service);
  }
  return n;
}

function put(out: Route[], n: number, profile: Counting, entity: string): number {
  const r = out[n] as Route;
  r.profile = profile;
  r.entity = entity;
  return n + 1;
}

/** Count one event into its window (`w.history`: what the entity was seen with before). */
export function accumulate(profile: Counting, w: WindowAcc, event: EcsEvent, time: number): void {
  w.n++;
  switch (profile) {
    case 'web': {
      const status = event['http.response.status_code'] as number;
      if (status >= 500) w.serverErrors++;
      else if (status >= 400) w.clientErrors++;
      else if (status >= 300) w.redirects++;
      const url = typeof event['url.original'] === 'string' ? event['url.original'] : '';
      const path = typeof event['url.path'] === 'string' ? event['url.path'] : (url.split('?')[0] ?? '');
      const h = hash32(url.length > 0 ? url : path);
      w.paths ??= new Set();
      addDistinct(w.paths, h);
      const method = event['http.request.method'];
      // The same URL posted to is another request than fetched (a login form, an API's verbs).
      const request =
        typeof method === 'string' && method !== 'GET' ? (h ^ Math.imul(hash32(method), 0x9e3779b1)) >>> 0 : h;
      if (w.history?.includes(request)) w.familiar++;
      w.requests ??= new Map();
      const made = w.requests.get(request);
      if (made !== undefined) w.requests.set(request, made + 1);
      else if (w.requests.size <= MAX_HISTORY) w.requests.set(request, 1);
      const asset = ASSET.test(path);
      if (asset) w.assets++;
      // The section is the first path segment (`/product`), at most 40 characters.
      const cut = path.indexOf('/', 1);
      const key = path.slice(0, Math.min(cut < 0 ? path.length : cut, 40)) || '/';
      w.sections ??= new Map();
      const seen = w.sections.get(key);
      if (seen !== undefined) w.sections.set(key, seen + 1);
      else if (w.sections.size < 64) w.sections.set(key, 1);
      if (method === 'POST') w.posts++;
      if (isLoginAttempt(method, path) && loginFailed(path, status)) w.loginFailures++;
      const ref = event['http.request.referrer'];
      const noReferrer = typeof ref !== 'string' || ref === '' || ref === '-';
      if (noReferrer) w.noReferrer++;
      const bytes = event['http.response.body.bytes'];
      if (typeof bytes === 'number' && Number.isFinite(bytes)) w.bytes += bytes;
      const ua = event['user_agent.original'];
      const agent = typeof ua === 'string' ? ua : '-';
      if (agent !== w.lastUa) {
        w.lastUa = agent;
        w.lastBrowser = BROWSER_UA.test(agent) && !DECLARED_AGENT.test(agent);
        w.uas ??= new Set();
        addDistinct(w.uas, hash32(agent));
      }
      if (w.lastBrowser && !asset) {
        w.browserPages++;
        if (noReferrer) w.directBrowser++;
      }
      return;
    }
    case 'auth': {
      if (event['event.outcome'] === 'failure') w.failures++;
      const user = event['user.name'];
      if (typeof user === 'string') {
        const h = hash32(user);
        if (w.user1 < 0) w.user1 = h;
        else if (h !== w.user1) {
          w.users ??= new Set([w.user1]);
          addDistinct(w.users, h);
        }
      }
      return;
    }
    case 'user': {
      const ip = event['source.ip'];
      if (event['event.outcome'] === 'failure') w.failures++;
      else {
        w.logins++;
        if (w.hours === NO_HOURS) w.hours = [];
        w.hours.push(new Date(time).getUTCHours());
      }
      if (typeof ip === 'string') {
        const h = hash32(ip);
        let added: boolean;
        if (w.source1 < 0) {
          w.source1 = h;
          added = true;
        } else if (h === w.source1) added = false;
        else {
          w.sources ??= new Set([w.source1]);
          added = addDistinct(w.sources, h);
        }
        if (added && isNew(w, h)) w.newSources++;
      }
      return;
    }
    case 'service': {
      const proc = String(event['process.executable'] ?? event['process.name'] ?? '');
      const h = hash32(proc);
      w.processes ??= new Set();
      if (addDistinct(w.processes, h) && isNew(w, h)) w.newProcesses++;
      return;
    }
  }
}

/** A user window's distinct sources (hashes), in the order first seen. */
export function sourcesOf(w: WindowAcc): readonly number[] {
  if (w.sources !== undefined) return [...w.sources];
  return w.source1 < 0 ? [] : [w.source1];
}

/**
 * The share of a web window's requests that its entity made before (same method, same URL):
 * near 1 for a client with a fixed repertoire (an editor's admin pages, an app's endpoints),
 * whose busier hours are more of the same, not something new.
 */
export const familiarShare = (w: WindowAcc): number => (w.n > 0 ? w.familiar / w.n : 0);

/** The window's raw feature values, in the profile's feature order. */
export function finalize(profile: Counting, w: WindowAcc, unusualHour: (hours: readonly number[]) => number): number[] {
  const n = Math.max(1, w.n);
  switch (profile) {
    case 'web': {
      let top = 0;
      for (const v of w.sections?.values() ?? []) top = Math.max(top, v);
      const paths = w.paths?.size ?? 0;
      return [
        w.n,
        w.clientErrors / n,
        w.serverErrors / n,
        w.redirects / n,
        paths,
        paths / n,
        top / n,
        w.assets / n,
        w.posts / n,
        w.noReferrer / n,
        w.bytes / n,
        w.uas?.size ?? 0,
        w.loginFailures / n,
        w.directBrowser / n,
        w.assets > 0 ? 0 : w.browserPages / n,
      ];
    }
    case 'auth':
      return [w.n, w.failures / n, w.users?.size ?? (w.user1 < 0 ? 0 : 1)];
    case 'user':
      return [w.logins, w.failures, w.sources?.size ?? (w.source1 < 0 ? 0 : 1), w.newSources, unusualHour(w.hours)];
    case 'service':
      return [w.n, w.processes?.size ?? 0, w.newProcesses];
  }
}
