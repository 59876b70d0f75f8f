import type { Detection, Evidence } from '../../core/detection.js';
import type { Detector } from '../../core/detector.js';
import type { Observation } from '../../core/event.js';
import type { IdGenerator } from '../../core/ids.js';
import {
  dayOf,
  type DriftFinding,
  type DriftSettings,
  type EntityBaseline,
  newEntityBaseline,
  updateEntityBaseline,
} from '../drift/entity-baseline.js';
import { describeFeature, featureReports } from './explain.js';
import {
  accumulate,
  type Counting,
  familiarShare,
  finalize,
  MAX_HISTORY,
  newWindow,
  PROFILES,
  type ProfileName,
  type ProfileSpec,
  type Route,
  routes,
  newRoutes,
  sourcesOf,
  transform,
  type WindowAcc,
} from './features.js';
import { createFeatureTails, type FeatureTailsState, learnTails, tailExcess } from './feature-tails.js';
import { type FusedScore, fuseScores } from './fused-score.js';
import {
  createHst,
  type HstSnapshot,
  type HstState,
  hstReady,
  hstSnapshot,
  learnHst,
  restoreHst,
  scoreHst,
} from './half-space-trees.js';
import { Lru, type LruSlot } from './lru.js';
import { OpenWindows } from './open-windows.js';
import { coveredShare, RequestHolders, requiredRequests } from './request-holders.js';
import { createRobustStat, type RobustStatState, robustScale, updateRobustStat } from './robust-stats.js';
import { canVouch, recordVouch, type Vouched } from './vouching.js';

export interface AnomalySettings {
  readonly windowMs: number;
  readonly minEvents: number;
  readonly threshold: number;
  readonly minDeviation: number;
  readonly warmup: number;
  /** Event time after the first window during which the model only learns. */
  readonly learnForMs: number;
  readonly trees: number;
  readonly depth: number;
  readonly referenceSize: number;
  readonly maxEntities: number;
  readonly seed: number;
  readonly action: 'notify' | 'captcha' | 'ban';
  readonly durationS: number;
  readonly drift: DriftSettings;
}

export const ANOMALY_DETECTOR_NAME = 'anomaly';
export const DRIFT_SCENARIO = 'leuko/baseline-drift';
export const anomalyScenario = (p: ProfileName): string => `leuko/anomaly-${p}`;

/** What one entity keeps between windows: its baseline and what it has been seen doing. */
export interface EntityState {
  baseline?: EntityBaseline;
  /** Hashes of source addresses (users), processes (services) or URLs (web) seen before; bounded. */
  seen: number[];
  /** Decayed login-hour histogram (users). */
  hours: number[];
  /** Event time of the last anomaly raised, for the repeat hold-off. */
  lastAlert: number;
  /** Ends of recent anomalous windows still waiting for confirmation (ProfileSpec.confirm). */
  suspects?: number[];
  /**
   * Full-size windows the population model learned as ordinary on its own judgement: not
   * passed by this entity's or a peer's baseline. An entity needs PEER_MIN_JUDGED of them to
   * vouch for newcomers (`usualForRole`). Absent in snapshots before version 3: none yet.
   */
  judged?: number;
  /** Newcomers this entity vouched for in the last day (vouching.ts). */
  vouched?: Vouched;
}

interface ProfileModel {
  readonly spec: ProfileSpec;
  pop: RobustStatState[];
  hst: HstState;
  tails: FeatureTailsState;
  learned: number;
  scored: number;
  alerts: number;
  readonly entities: Lru<EntityState>;
  readonly open: OpenWindows;
  /** Web scales: which vouching entities make which request (`usualForRole`). */
  readonly holders: RequestHolders | undefined;
}

export interface AnomalyStats {
  windowsClosed: number;
  late: number;
  droppedOpen: number;
  anomalies: number;
  drifts: number;
  /** Windows that would have counted but were usual for an established peer's role. */
  vouched: number;
}

const MAX_SEEN = MAX_HISTORY;
/** Closed windows kept for reuse (about 300 bytes each, empty). */
const MAX_SPARE_WINDOWS = 8192;
const EVIDENCE_HEAD = 3;
const EVIDENCE_TAIL = 2;
/** Windows an entity is left alone after an anomaly (one incident, not one alert per window). */
const HOLD_WINDOWS = 6;
/**
 * 2: the trees keep their reference block's points instead of node masses (half-space-trees.ts).
 * A version-1 snapshot restores everything but the trees, which relearn one block.
 * 3: entities carry `judged` and `vouched`, web models their RequestHolders. A version-2 (or 1)
 * snapshot restores with no entity judged yet, so none vouches until it has been judged again.
 */
const SNAPSHOT_VERSION = 3;
/** An entity's own baseline vouches for it only after this long and this many windows. */
const SELF_KNOWN_MS = 6 * 3600_000;
const SELF_MIN_WINDOWS = 2;
/**
 * Windows with fewer events than the population's minimum but at least this many teach the
 * entity's own baseline. They are scored nowhere, so an attacker could use them to prime its
 * baseline; but whatever it does in them stays under `min_events` at both scales, a blind spot
 * the gate already has, and the attack itself still has to match that baseline 6 h later.
 */
const SELF_MIN_EVENTS = 5;

/**
 * The share of a window's requests that its entity made before from which its repertoire
 * features (FeatureSpec.repertoire) no longer count against it in `usualForItself`: see there.
 */
const FAMILIAR_SHARE = 0.9;

/**
 * Full-size windows the population model must itself have judged ordinary (EntityState.judged)
 * before an entity vouches for newcomers: its role was seen and found ordinary at the volume
 * that gets scored, not only primed in windows too small to be scored (SELF_MIN_EVENTS).
 */
const PEER_MIN_JUDGED = 3;
/** Requests the population memory keeps per web scale (request-holders.ts). */
const MAX_HELD_REQUESTS = 16_384;

/** Shared empty results: nearly every event returns nothing, and an empty array each is garbage. */
const NONE: readonly Detection[] = Object.freeze([]);
const NO_MODELS: readonly ProfileModel[] = Object.freeze([]);

/** Map a robust z to [0, 1] for the trees: monotone, centred on the median, never saturating. */
const squash = (z: number): number => 0.5 + Math.atan(z / 3) / Math.PI;

export interface AnomalyDetector extends Detector {
  readonly stats: AnomalyStats;
  /** Per profile: entity keys with their baselines (for `leuko baselines`). */
  entities(profile: ProfileName): IterableIterator<[string, EntityState]>;
  /** Forget one entity everywhere (baselines, history, open window). Returns how many records went. */
  resetEntity(value: string): number;
  /** Model summary per profile. */
  summary(): {
    profile: ProfileName;
    learned: number;
    scored: number;
    alerts: number;
    entities: number;
    ready: boolean;
  }[];
}

/**
 * Per-entity behaviour baselines and a multivariate streaming anomaly model (half-space trees)
 * per population (web clients, ssh clients, users, services). Works on event time: windows of
 * `windowMs` close when the first event of a later window (or a tick) arrives; each entity's
 * window becomes a feature vector, is scored against the population, and is then learned
 * (unless it alerted: an anomaly never teaches the model that it is normal).
 *
 * A detection names the features that drove the score with their share of it, the population
 * median and typical range, and the entity's own baseline where it has one. A second kind of
 * detection, `leuko/baseline-drift`, says that an entity's own baseline is being pushed faster
 * than the configured drift budget allows (slow-ramp poisoning).
 */
export function createAnomalyDetector(
  settings: AnomalySettings,
  ids: IdGenerator,
  /** Sees every scored window (bench: score distributions); never changes the outcome. */
  observe?: (
    profile: ProfileName,
    entity: string,
    score: number,
    maxZ: number,
    detail: { trees: number; z: readonly number[]; excess: readonly number[] },
  ) => void,
): AnomalyDetector {
  const models = new Map<ProfileName, ProfileModel>();
  const profiles = Object.values(PROFILES);
  const stats: AnomalyStats = { windowsClosed: 0, late: 0, droppedOpen: 0, anomalies: 0, drifts: 0, vouched: 0 };
  let current: number | undefined;
  /** Event time of the first window closed (learning period start). */
  let firstEnd: number | undefined;
  let cached: string | undefined;

  function freshModel(spec: ProfileSpec, i: number): ProfileModel {
    return {
      spec,
      pop: spec.features.map(() => createRobustStat()),
      hst: createHst({
        dims: spec.features.length,
        trees: settings.trees,
        depth: settings.depth,
        windowSize: settings.referenceSize,
        seed: settings.seed * 7919 + i,
      }),
      tails: createFeatureTails(spec.features.length, 4 * settings.referenceSize),
      learned: 0,
      scored: 0,
      alerts: 0,
      entities: new Lru<EntityState>(settings.maxEntities),
      open: new OpenWindows(),
      holders: spec.counts === 'web' ? new RequestHolders(MAX_HELD_REQUESTS) : undefined,
    };
  }
  for (const [i, spec] of profiles.entries()) models.set(spec.name, freshModel(spec, i));
  /** The models each routed event feeds: every scale of its counting. */
  const byCounting = new Map<Counting, ProfileModel[]>();
  for (const m of models.values()) byCounting.set(m.spec.counts, [...(byCounting.get(m.spec.counts) ?? []), m]);

  const floors = (m: ProfileModel): number[] => m.spec.features.map((f) => f.floor);
  const minEvents = (m: ProfileModel): number => m.spec.minEvents ?? settings.minEvents;

  function entityState(m: ProfileModel, key: string): EntityState {
    let e = m.entities.get(key);
    if (!e) {
      e = { seen: [], hours: [], lastAlert: Number.NEGATIVE_INFINITY };
      m.entities.set(key, e);
    }
    return e;
  }

  function unusualHour(e: EntityState | undefined, hours: readonly number[]): number {
    if (!e || hours.length === 0) return 0;
    const total = e.hours.reduce((a, b) => a + b, 0);
    if (total < 10) return 0; // too little history to call any hour unusual
    const peak = Math.max(...e.hours);
    let worst = 0;
    for (const h of hours) worst = Math.max(worst, 1 - (e.hours[h] ?? 0) / peak);
    return worst;
  }

  /** Close the windows that end between short window `windowIndex` and `next` (exclusive). */
  function close(windowIndex: number, next: number): Detection[] {
    const out: Detection[] = [];
    firstEnd ??= (windowIndex + 1) * settings.windowMs;
    for (const m of models.values()) {
      const span = m.spec.span;
      // A longer scale keeps accumulating until its own window is over.
      if (m.open.size === 0 || Math.floor(windowIndex / span) === Math.floor(next / span)) continue;
      const end = (Math.floor(windowIndex / span) + 1) * span * settings.windowMs;
      const day = dayOf(end - 1);
      const learning = end - firstEnd < settings.learnForMs;
      cached = undefined;
      const fl = floors(m);
      const specs = m.spec.features;
      // One set of arrays for every window of this close: each window is read from them and
      // learned (copied where kept: the trees' block, a new baseline) before the next is written.
      const x: number[] = new Array<number>(specs.length).fill(0);
      const scales = x.slice();
      const z = x.slice();
      const u = x.slice();
      for (const [key, w] of m.open) {
        stats.windowsClosed++;
        // Too sparse for the population and for the entity's own baseline, in a counting that
        // keeps no history (addresses' login attempts): the window teaches nothing, and keeping
        // an entity for it would keep one per address of a botnet's one-guess campaign.
        if (m.spec.counts === 'auth' && w.n < Math.min(minEvents(m), SELF_MIN_EVENTS)) continue;
        // The entity as the window opened (feed), touched without a second look-up.
        const slot = w.entity as LruSlot<EntityState> | undefined;
        const known = slot === undefined ? m.entities.get(key) : m.entities.touch(key, slot);
        const raw = finalize(m.spec.counts, w, (hours) => unusualHour(known, hours));
        // `known` was just touched (most recent): a second LRU touch would only churn the map.
        const e = known ?? entityState(m, key);
        // Before the window joins the history: what recurs in it is what the entity made before.
        offerRole(m, key, e, w, end);
        rememberHistory(m.spec.counts, e, w);
        for (let i = 0; i < x.length; i++) x[i] = transform(specs[i] as never, raw[i] as number);
        if (w.n < minEvents(m)) {
          // Too few events for the population, enough to say what this entity usually does: an
          // editor whose heartbeat rarely fills a window is still known when one finally does.
          if (w.n >= SELF_MIN_EVENTS) learnSelf(m, key, e, x, fl, day, end, out);
          continue;
        }
        for (let i = 0; i < x.length; i++) {
          const p = m.pop[i] as RobustStatState;
          scales[i] = robustScale(p, fl[i] as number);
          z[i] = ((x[i] as number) - p.median) / (scales[i] as number);
          u[i] = squash(z[i] as number);
        }
        // Not learned by the population: an anomaly (never teaches the model that it is normal),
        // or a window passed on a peer's word (see below).
        let suspect = false;
        // Whether the population model found the window ordinary by itself (EntityState.judged).
        let judged = true;
        if (!learning && hstReady(m.hst) && m.learned >= settings.warmup) {
          m.scored++;
          const excess = tailExcess(m.tails, z);
          const s = fuseScores(scoreHst(m.hst, u), excess, settings.minDeviation);
          const maxZ = Math.max(0, ...z.map((v, i) => ((s.contributions[i] ?? 0) > 0 ? Math.abs(v) : 0)));
          const counts = s.score >= settings.threshold;
          const gated =
            maxZ >= settings.minDeviation && end - lastAlert(m, key) > HOLD_WINDOWS * span * settings.windowMs;
          const own = gated && usualForItself(m, e, w, x, s.contributions, fl, end);
          // A peer is looked for only where it would change the outcome (or the observer asks).
          const peer =
            gated && !own && (counts || observe !== undefined) ? usualForRole(m, key, w, x, fl, end) : undefined;
          // Every gate but the score threshold (and the confirmation): what the observer sees is
          // "this window would count at a threshold of `score`" (bench: one pass per sweep).
          const eligible = gated && !own && peer === undefined;
          if (eligible) observe?.(m.spec.name, key, s.score, maxZ, { trees: s.trees, z: [...z], excess });
          if (gated && counts && !eligible) {
            // Passed by a baseline, not by the population: it does not qualify anyone to vouch.
            judged = false;
            if (peer !== undefined) {
              peer.vouched = recordVouch(peer.vouched, key, end);
              stats.vouched++;
              // Not learned either: a newcomer's window the population still finds rare does not
              // teach it that the role is common. Learned, the vouched copies of a role would
              // make every further copy ordinary, and the vouching budget would bound nothing.
              suspect = true;
            }
          }
          if (eligible && counts) {
            // Unconfirmed, the window is still not learned: an anomaly never teaches the model.
            suspect = true;
            if (confirmed(m, e, end)) {
              e.lastAlert = end;
              e.suspects = [];
              m.alerts++;
              stats.anomalies++;
              out.push(anomalyDetection(m, key, w, raw, z, scales, s, excess, e, end));
            }
          }
        }
        if (!suspect) {
          for (let i = 0; i < x.length; i++)
            updateRobustStat(m.pop[i] as RobustStatState, x[i] as number, fl[i] as number);
          learnHst(m.hst, u);
          learnTails(m.tails, z);
          m.learned++;
          // Only where peers vouch (web): elsewhere it would be one more field per entity to keep.
          if (judged && m.holders !== undefined) e.judged = (e.judged ?? 0) + 1;
        }
        learnSelf(m, key, e, x, fl, day, end, out);
      }
      m.open.drain(recycle);
    }
    return out;
  }

  /**
   * Closed windows, emptied, for the next ones opened (see WindowAcc.reset). Bounded well below
   * max_entities: after a flood the spares would otherwise stay, unused, for the daemon's life.
   */
  const spareWindows: WindowAcc[] = [];
  function recycle(w: WindowAcc): void {
    if (spareWindows.length >= MAX_SPARE_WINDOWS) return;
    // Emptied now, not when reused: a spare must not keep a closed window's lines alive.
    spareWindows.push(w.reset(undefined, w.head !== undefined));
  }

  /** Record an anomalous window; true once the profile's `confirm` windows agree. */
  function confirmed(m: ProfileModel, e: EntityState, end: number): boolean {
    const need = m.spec.confirm ?? 1;
    if (need <= 1) return true;
    const horizon = end - need * m.spec.span * settings.windowMs;
    e.suspects = [...(e.suspects ?? []).filter((t) => t > horizon), end];
    return e.suspects.length >= need;
  }

  /** The entity's own baseline: bounded influence, drift budget, drift finding. */
  function learnSelf(
    m: ProfileModel,
    key: string,
    e: EntityState,
    x: readonly number[],
    fl: readonly number[],
    day: number,
    end: number,
    out: Detection[],
  ): void {
    let finding: DriftFinding | undefined;
    if (!e.baseline) e.baseline = newEntityBaseline(x, fl, day, end);
    else finding = updateEntityBaseline(e.baseline, x, fl, day, settings.drift);
    if (finding) {
      stats.drifts++;
      out.push(driftDetection(m, key, finding, e.baseline, end));
    }
  }

  /**
   * Rare in the population but usual for this entity (the shop's editors, its app clients, its
   * monitors): an entity known for at least SELF_KNOWN_MS whose driving features all sit within
   * half the deviation gate of its own baseline is not an anomaly. Its own baseline moves at most
   * the drift budget per day, so an attacker cannot buy this pass quickly; a newcomer (the usual
   * attacker) never has it.
   *
   * More of the same is not new: when nearly every request of the window (FAMILIAR_SHARE) is one
   * the entity made in earlier windows (same method, same URL), the features that follow from
   * which of those requests it makes and how many (FeatureSpec.repertoire: requests, distinct
   * paths and their share, top section, posts, mean answer size) are not held against it. An
   * editor's busy hour in wp-admin is that editor's usual work, more of it, or more of its ajax
   * saves than page loads; its own baseline, an average over quiet and busy hours that moves
   * slowly by design (and starts from the floor scale), would otherwise call every busier or
   * differently mixed hour novel. The rest (status codes, referrers, agents, login failures,
   * browsers without assets) must still match the entity's own baseline, so a known client that
   * starts failing logins or collecting errors is still judged, and one that posts where it
   * used to fetch, or walks URLs it never requested, is not familiar. Sheer volume of familiar
   * requests is left to the rate rules.
   */
  function usualForItself(
    m: ProfileModel,
    e: EntityState,
    w: WindowAcc,
    x: readonly number[],
    contributions: readonly number[],
    fl: readonly number[],
    end: number,
  ): boolean {
    const b = e.baseline;
    if (!b || b.windows < SELF_MIN_WINDOWS || end - b.since < SELF_KNOWN_MS) return false;
    const familiar = m.spec.counts === 'web' && familiarShare(w) >= FAMILIAR_SHARE;
    return withinBaseline(m, b, x, contributions, fl, familiar);
  }

  /**
   * Whether every driving feature of window `x` (with `contributions` undefined: every feature)
   * sits within half the deviation gate of baseline `b` (`familiar`: but for the repertoire
   * features, see `usualForItself`).
   */
  function withinBaseline(
    m: ProfileModel,
    b: EntityBaseline,
    x: readonly number[],
    contributions: readonly number[] | undefined,
    fl: readonly number[],
    familiar: boolean,
  ): boolean {
    for (let i = 0; i < x.length; i++) {
      if (contributions !== undefined && (contributions[i] ?? 0) <= 0) continue;
      if (familiar && m.spec.features[i]?.repertoire === true) continue;
      const f = b.features[i];
      if (!f) return false;
      const selfZ = Math.abs((x[i] as number) - f.b) / Math.max(f.s, fl[i] as number);
      if (selfZ >= settings.minDeviation / 2) return false;
    }
    return true;
  }

  /**
   * Rare in the population, new to its entity, but an established peer's usual work: a shop's
   * second editor, first seen this afternoon, whose heartbeat and admin pages are what the
   * first editor has been doing for days. The trees score a role with one or two members as
   * rare, and the newcomer has no baseline of its own to be cleared by (`usualForItself` wants
   * SELF_KNOWN_MS of history, so that an attacker cannot earn it quickly). Returns the peer
   * that vouches for the window, if one does:
   *
   * - the peer vouches at all (`vouches`): known for SELF_KNOWN_MS, judged ordinary by the
   *   population itself in PEER_MIN_JUDGED full windows, never flagged at either scale;
   * - nearly every request of the window (FAMILIAR_SHARE, counted per request) is one the peer
   *   made: a walker of product ids, an enumerator, a scraper make requests nobody made, so no
   *   peer covers them, however ordinary their volume;
   * - every feature but the repertoire ones sits within half the deviation gate of the peer's
   *   own baseline: all of them, not only the driving ones that `usualForItself` checks, since
   *   the claim is stronger (this is the peer's behaviour, not this entity's own). A newcomer
   *   posting to the editors' login form and failing (login_failure_share), or collecting 403s
   *   on the app's token endpoint, is not doing the editor's or the app's work, whatever its
   *   requests;
   * - the peer has vouched for fewer than VOUCHES_PER_DAY other newcomers today (vouching.ts):
   *   one primed address cannot clear a botnet.
   *
   * What it buys a newcomer is exactly what `usualForItself` buys a known entity on familiar
   * requests: more of the same, or another mix of it, is not held against it; volume is left
   * to the rate rules.
   */
  function usualForRole(
    m: ProfileModel,
    key: string,
    w: WindowAcc,
    x: readonly number[],
    fl: readonly number[],
    end: number,
  ): EntityState | undefined {
    const { holders } = m;
    const requests = w.requests;
    if (holders === undefined || requests === undefined || requests.size > MAX_SEEN) return undefined;
    const tried = new Set<string>([key]);
    // A peer covering FAMILIAR_SHARE of the window made at least one of these: its holders are all
    // the candidates there can be.
    for (const r of requiredRequests(requests, w.n, FAMILIAR_SHARE)) {
      for (const k of holders.holders(r)) {
        if (tried.has(k)) continue;
        tried.add(k);
        const p = m.entities.peek(k);
        if (p?.baseline === undefined || !vouches(m, k, p, end) || !canVouch(p.vouched, key, end)) continue;
        if (coveredShare(requests, w.n, p.seen) < FAMILIAR_SHARE) continue;
        if (withinBaseline(m, p.baseline, x, undefined, fl, true)) return p;
      }
    }
    return undefined;
  }

  /** Whether entity `key` may vouch for newcomers at `end` (see `usualForRole`). */
  function vouches(m: ProfileModel, key: string, e: EntityState, end: number): boolean {
    const b = e.baseline;
    return (
      b !== undefined &&
      b.windows >= SELF_MIN_WINDOWS &&
      end - b.since >= SELF_KNOWN_MS &&
      (e.judged ?? 0) >= PEER_MIN_JUDGED &&
      lastAlert(m, key) === Number.NEGATIVE_INFINITY
    );
  }

  /**
   * Register the routine requests of a vouching entity in its model's population memory: the
   * requests of its window that it had also made in an earlier one (called before the window
   * joins its history). An editor's heartbeat and admin pages, an app's endpoints, a monitor's
   * probe recur and are registered again whenever they do, which also brings them back after
   * the memory dropped them; a visitor's one-off pages never enter it. Registering every
   * request of every voucher's window churned the memory through the whole catalogue and cost
   * a third more than the rest of the detector on a web log.
   */
  function offerRole(m: ProfileModel, key: string, e: EntityState, w: WindowAcc, end: number): void {
    const { holders } = m;
    const requests = w.requests;
    if (holders === undefined || requests === undefined || e.seen.length === 0 || !vouches(m, key, e, end)) return;
    routine.length = 0;
    for (const r of requests.keys()) if (e.seen.includes(r)) routine.push(r);
    if (routine.length === 0) return;
    holders.register(key, routine, (k) => {
      const p = m.entities.peek(k);
      return p === undefined || lastAlert(m, k) !== Number.NEGATIVE_INFINITY;
    });
  }
  /** offerRole's list of a window's routine requests (one window at a time). */
  const routine: number[] = [];

  /** The latest anomaly on this entity at any scale of the same counting: one behaviour, one alert. */
  function lastAlert(m: ProfileModel, key: string): number {
    let last = Number.NEGATIVE_INFINITY;
    for (const sibling of byCounting.get(m.spec.counts) ?? [])
      last = Math.max(last, sibling.entities.peek(key)?.lastAlert ?? Number.NEGATIVE_INFINITY);
    return last;
  }

  function rememberHistory(profile: Counting, e: EntityState, w: WindowAcc): void {
    const add = (values: Iterable<number> | undefined): void => {
      for (const v of values ?? []) {
        if (e.seen.includes(v)) continue;
        e.seen.push(v);
        if (e.seen.length > MAX_SEEN) e.seen.shift();
      }
    };
    if (profile === 'user') {
      add(sourcesOf(w));
      if (e.hours.length !== 24) e.hours = new Array(24).fill(0);
      if (w.hours.length > 0) {
        for (let h = 0; h < 24; h++) e.hours[h] = (e.hours[h] ?? 0) * 0.98;
        for (const h of w.hours) e.hours[h] = (e.hours[h] ?? 0) + 1;
      }
    } else if (profile === 'service') add(w.processes);
    // A window with more distinct requests than the history holds has no repertoire to remember.
    else if (profile === 'web' && (w.requests?.size ?? 0) <= MAX_SEEN) add(w.requests?.keys());
  }

  function anomalyDetection(
    m: ProfileModel,
    key: string,
    w: WindowAcc,
    raw: readonly number[],
    z: readonly number[],
    scales: readonly number[],
    fused: FusedScore,
    excess: readonly number[],
    e: EntityState,
    end: number,
  ): Detection {
    const { score, contributions } = fused;
    const specs = m.spec.features;
    const own = specs.map((_, i) =>
      e.baseline && e.baseline.windows > settings.drift.warmup ? e.baseline.features[i]?.b : undefined,
    );
    const reports = featureReports(
      specs,
      raw,
      m.pop.map((p) => p.median),
      scales,
      z,
      contributions,
      own,
      excess,
    ).slice(0, 4);
    const minutes = Math.round((m.spec.span * settings.windowMs) / 60_000);
    const parts = reports.map((r) => describeFeature(specs.find((f) => f.name === r.feature) as never, r));
    const explanation =
      `unusual ${m.spec.name} behaviour of ${m.spec.entity} ${key} over ${minutes} min ` +
      `(${w.n} events; anomaly score ${score.toFixed(2)}, threshold ${settings.threshold.toFixed(2)}): ${parts.join('; ')}`;
    return {
      id: ids.next('det'),
      scenario: anomalyScenario(m.spec.name),
      time: end,
      entity: { type: m.spec.entity, value: key },
      techniques: [],
      confidence: Math.min(0.95, score),
      severity: score >= 0.9 ? 'medium' : 'low',
      count: w.n,
      explanation,
      evidence: [...(w.head ?? []), ...(w.tail ?? [])].map(
        (o): Evidence => ({ timestamp: o.event['@timestamp'], message: o.event.message, sourceId: o.sourceId }),
      ),
      remediation: { action: settings.action, durationS: settings.durationS, scope: 'ip' },
      labels: {
        detector: ANOMALY_DETECTOR_NAME,
        profile: m.spec.name,
        score: score.toFixed(3),
        trees: fused.trees.toFixed(3),
        features: reports.map((r) => `${r.feature}=${r.contribution.toFixed(3)}`).join(','),
      },
    };
  }

  function driftDetection(m: ProfileModel, key: string, f: DriftFinding, b: EntityBaseline, end: number): Detection {
    const spec = m.spec.features[f.feature];
    const name = spec?.name ?? `feature ${f.feature}`;
    const unit = spec?.kind === 'count' ? ' (log scale)' : '';
    const explanation =
      `baseline of ${m.spec.entity} ${key} (${m.spec.name}) is being pushed faster than its drift budget: ` +
      `${name} would be at ${f.shadow.toFixed(2)} but is held at ${f.baseline.toFixed(2)}${unit}, ` +
      `${f.daysAhead.toFixed(1)} days of budget (${settings.drift.perDay}/day) ahead after ${b.windows} windows, and held at its budget yesterday too: a sustained ramp, possibly poisoning`;
    return {
      id: ids.next('det'),
      scenario: DRIFT_SCENARIO,
      time: end,
      entity: { type: m.spec.entity, value: key },
      techniques: [],
      confidence: 0.5,
      severity: 'low',
      count: b.windows,
      explanation,
      evidence: [],
      remediation: { action: 'notify', durationS: settings.durationS, scope: 'ip' },
      labels: { detector: 'drift', profile: m.spec.name, feature: name },
    };
  }

  function addEvidence(w: WindowAcc, obs: Observation): void {
    // The first lines and the latest ones, by reference (no allocation per event).
    const { head, tail } = w;
    if (head === undefined || tail === undefined) return;
    if (head.length < EVIDENCE_HEAD) head.push(obs);
    else {
      if (tail.length >= EVIDENCE_TAIL) tail.shift();
      tail.push(obs);
    }
  }

  /**
   * Whether model `m`'s window open now ends inside the learning period, where nothing is
   * scored: no anomaly can come of it, so it keeps no evidence. Same test as `close`, where
   * the learning period starts at the end of the first short window closed (this one's, when
   * none has closed yet).
   */
  function learningNow(m: ProfileModel): boolean {
    if (current === undefined) return false;
    const end = (Math.floor(current / m.spec.span) + 1) * m.spec.span * settings.windowMs;
    return end - (firstEnd ?? (current + 1) * settings.windowMs) < settings.learnForMs;
  }

  /** Count one observation into entity `key`'s open window of model `m`. */
  function feed(m: ProfileModel, counting: Counting, key: string, obs: Observation): void {
    let w = m.open.get(key);
    if (!w) {
      if (m.open.size >= settings.maxEntities) {
        stats.droppedOpen++;
        return;
      }
      // The entity's history as the window opens: it changes only when this model's windows
      // close, which ends this window too, so one look-up serves all of the window's events.
      // Addresses' login windows are mostly too sparse to reach their entity (close): no look-up.
      const slot = counting === 'auth' ? undefined : m.entities.slot(key);
      const spare = spareWindows.pop();
      const evidence = !learningNow(m);
      w = spare === undefined ? newWindow(slot?.value.seen, evidence) : spare.reset(slot?.value.seen, evidence);
      w.entity = slot;
      m.open.set(key, w);
    }
    accumulate(counting, w, obs.event, obs.time);
    addEvidence(w, obs);
  }

  /** Where `routes` writes each event's targets (one event at a time). */
  const targets = newRoutes();

  function advance(time: number): readonly Detection[] {
    const idx = Math.floor(time / settings.windowMs);
    if (current === undefined) {
      current = idx;
      return NONE;
    }
    if (idx <= current) return NONE;
    const out = close(current, idx);
    current = idx;
    return out;
  }

  return {
    name: ANOMALY_DETECTOR_NAME,
    stats,
    process(obs) {
      const n = routes(obs.event, targets);
      if (n === 0) return NONE;
      const out = advance(obs.time);
      if (current !== undefined && Math.floor(obs.time / settings.windowMs) < current) stats.late++;
      for (let i = 0; i < n; i++) {
        const t = targets[i] as Route;
        for (const m of byCounting.get(t.profile) ?? NO_MODELS) feed(m, t.profile, t.entity, obs);
      }
      return out;
    },
    tick(time) {
      return advance(time);
    },
    snapshot() {
      cached ??= JSON.stringify({
        v: SNAPSHOT_VERSION,
        settings: fingerprint(settings),
        current,
        firstEnd,
        models: [...models.values()].map((m) => ({
          name: m.spec.name,
          pop: m.pop,
          tails: m.tails,
          learned: m.learned,
          scored: m.scored,
          alerts: m.alerts,
          hst: hstSnapshot(m.hst),
          entities: [...m.entities.entries()],
          ...(m.holders ? { holders: m.holders.entries() } : {}),
        })),
      });
      return cached;
    },
    restore(text) {
      const snap = JSON.parse(text) as Snapshot;
      // A model built with other trees, depth or windows cannot be reused: start afresh.
      if (!(snap.v >= 1 && snap.v <= SNAPSHOT_VERSION) || snap.settings !== fingerprint(settings)) return;
      current = snap.current;
      firstEnd = snap.firstEnd ?? undefined;
      for (const s of snap.models) {
        const m = models.get(s.name);
        if (!m || s.pop.length !== m.spec.features.length) continue;
        m.pop = s.pop;
        // Snapshots from before the tails existed: they are learned afresh.
        if (s.tails && s.tails.buckets.length === m.spec.features.length) m.tails = s.tails;
        m.learned = s.learned;
        m.scored = s.scored;
        m.alerts = s.alerts;
        // Version 1 kept node masses, from which no block can be rebuilt: the trees start afresh
        // (ready again after one block) while the baselines, statistics and tails carry over.
        if (snap.v >= 2) restoreHst(m.hst, s.hst as HstSnapshot);
        m.entities.clear();
        for (const [k, v] of s.entities)
          m.entities.set(k, { ...v, lastAlert: v.lastAlert ?? Number.NEGATIVE_INFINITY });
        // Before version 3 no entity was judged, so none vouches yet and the memory starts empty.
        m.holders?.load(s.holders ?? []);
      }
      cached = text;
    },
    entities(profile) {
      return models.get(profile)?.entities.entries() ?? new Map<string, EntityState>().entries();
    },
    resetEntity(value) {
      let n = 0;
      for (const m of models.values()) {
        if (m.entities.delete(value)) n++;
        if (m.open.delete(value)) n++;
      }
      if (n > 0) cached = undefined;
      return n;
    },
    summary() {
      return [...models.values()].map((m) => ({
        profile: m.spec.name,
        learned: m.learned,
        scored: m.scored,
        alerts: m.alerts,
        entities: m.entities.size,
        ready: hstReady(m.hst) && m.learned >= settings.warmup,
      }));
    },
  };
}

interface Snapshot {
  v: number;
  settings: string;
  current: number | undefined;
  firstEnd?: number | null;
  models: {
    name: ProfileName;
    pop: RobustStatState[];
    tails?: FeatureTailsState;
    learned: number;
    scored: number;
    alerts: number;
    /** Version 2: HstSnapshot; version 1: per-tree node masses (not restored). */
    hst: HstSnapshot | { reference: [number, number][][] };
    entities: [string, EntityState][];
    /** Version 3, web models: RequestHolders entries. */
    holders?: [number, string[]][];
  }[];
}

/** The settings a stored model depends on (JSON keeps -Infinity as null; lastAlert is restored). */
function fingerprint(s: AnomalySettings): string {
  return `${s.windowMs}/${s.trees}/${s.depth}/${s.referenceSize}/${s.seed}`;
}
