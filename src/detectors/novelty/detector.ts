import type { Detection, Evidence } from '../../core/detection.js';
import type { Detector } from '../../core/detector.js';
import type { EcsEvent, Observation } from '../../core/event.js';
import type { IdGenerator } from '../../core/ids.js';
import { countLimits, newBand, type RateBand, shareLimits, surgeLimit, updateBand } from './rate-band.js';

export interface NoveltyOptions {
  /** Event time (ms) per source before anything is reported. */
  readonly learningMs: number;
  readonly windowMs: number;
  readonly examples: number;
  readonly bandK: number;
  readonly minExcess: number;
  readonly minHistory: number;
  readonly detectDrops: boolean;
  /** Datasets left out (access logs: their text is the client's choice, see config). */
  readonly ignoreDatasets?: ReadonlySet<string>;
}

export const NOVEL_TEMPLATE = 'leuko/novel-template';
/** After a rate report, the same template is not reported again for this many windows. */
const COOLDOWN_WINDOWS = 12;
export const TEMPLATE_RATE = 'leuko/template-rate';

interface TemplateState {
  text: string;
  service: string;
  first: number;
  /** Share of the source's lines per window. */
  share: RateBand;
  /** Lines per window. */
  count: RateBand;
  /** Outside the band in the last closed window (report on the way out, not every window). */
  out: boolean;
  /** End of the window of the last rate report (one per template per `COOLDOWN_WINDOWS`). */
  lastReport: number;
}

interface Pending {
  id: string;
  text: string;
  service: string;
  first: number;
  examples: Evidence[];
  count: number;
  reported: boolean;
}

interface SourceState {
  start: number;
  windowStart: number;
  counts: Map<string, number>;
  total: number;
  templates: Map<string, TemplateState>;
  /** New templates after learning, collecting examples until their window closes. */
  pending: Map<string, Pending>;
}

/**
 * Novelty per source, on the template ids the templates enricher adds:
 * - during the learning period (event time since the source's first line) every template is
 *   learned silently;
 * - after it, a template never seen before is reported once, naming the template, its first
 *   examples and its expected rate (zero: never seen in the learned span) — at the close of
 *   the window it appeared in, or as soon as it has `examples` lines;
 * - each template keeps a band of its share of the source's lines per window, and of its
 *   absolute count (rate-band.ts); once a template has `minHistory` windows, a window above
 *   the share band by `minExcess` lines or a surge far above its usual count, or (with
 *   `detectDrops`) a busy template falling below its band while its source keeps logging, is
 *   reported when it leaves the band (then not again for an hour of windows).
 * Detections notify about a `service` (the program, or the parser's dataset); they ask for no
 * ban. Lines are attacker-controlled text, so they only ever appear as evidence and template
 * text, never as the entity a response could target.
 */
export type NoveltyDetector = Detector &
  Required<Pick<Detector, 'tick' | 'snapshot' | 'restore'>> & {
    /** Forget one source's baselines (or all): it learns again from its next line. */
    reset(sourceId?: string): void;
  };

export function createNoveltyDetector(opts: NoveltyOptions, ids: IdGenerator): NoveltyDetector {
  const sources = new Map<string, SourceState>();

  function serviceOf(e: EcsEvent, sourceId: string): string {
    const s = e['process.name'] ?? e['log.syslog.appname'] ?? e['event.dataset'];
    return typeof s === 'string' && s !== '' && s !== 'unparsed' ? s : sourceId;
  }

  function evidence(obs: Observation): Evidence {
    return { timestamp: obs.event['@timestamp'], message: obs.event.message, sourceId: obs.sourceId };
  }

  function novelDetection(sourceId: string, s: SourceState, p: Pending): Detection {
    const learnedH = ((p.first - s.start) / 3_600_000).toFixed(1);
    return {
      id: ids.next('det'),
      scenario: NOVEL_TEMPLATE,
      time: p.first,
      entity: { type: 'service', value: p.service },
      techniques: [],
      confidence: 0.6,
      severity: 'low',
      count: p.count,
      explanation:
        `new log template ${p.id} from ${p.service} (source ${sourceId}): "${truncate(p.text)}"; ` +
        `expected rate 0 per ${opts.windowMs / 1000} s (never seen in ${learnedH} h of learned traffic); ` +
        `${p.count} line(s) so far, first: "${truncate(p.examples[0]?.message ?? '')}"`,
      evidence: p.examples,
      labels: { detector: 'novelty', source: sourceId, template_id: p.id, template: truncate(p.text, 500) },
    };
  }

  function closeWindow(sourceId: string, s: SourceState, out: Detection[]): void {
    const end = s.windowStart + opts.windowMs;
    const learned = end - s.start >= opts.learningMs;
    const total = s.total;
    for (const [id, t] of s.templates) {
      const count = s.counts.get(id) ?? 0;
      const trusted = t.share.n >= opts.minHistory;
      const band = shareLimits(t.share, total, opts.bandK);
      const surge = surgeLimit(t.count, opts.bandK);
      if (learned && trusted && !s.pending.has(id)) {
        // Share AND count must leave their bands: a share alone moves when another template
        // surges or vanishes, a count alone moves with the source's daily volume.
        const abs = countLimits(t.count, opts.bandK);
        const high = (count > band.hi + opts.minExcess && count > abs.hi) || count > surge + opts.minExcess;
        const low = opts.detectDrops && band.lo >= 1 && count < band.lo && count < abs.lo;
        const cooled = end - t.lastReport >= COOLDOWN_WINDOWS * opts.windowMs;
        if ((high || low) && !t.out && cooled) {
          out.push(rateDetection(sourceId, id, t, count, total, band, end));
          t.lastReport = end;
        }
        t.out = high || low;
      }
      updateBand(
        t.share,
        count / total,
        trusted ? { lo: Math.max(band.lo, 0) / total, hi: band.hi / total } : undefined,
      );
      updateBand(t.count, count, trusted ? { lo: 0, hi: surge } : undefined);
    }
    for (const p of s.pending.values()) if (!p.reported) out.push(novelDetection(sourceId, s, p));
    s.pending.clear();
    s.counts.clear();
    s.total = 0;
    s.windowStart = end;
  }

  function rateDetection(
    sourceId: string,
    id: string,
    t: TemplateState,
    count: number,
    total: number,
    band: { expected: number; lo: number; hi: number },
    end: number,
  ): Detection {
    const dir = count > band.hi ? 'rose to' : 'fell to';
    return {
      id: ids.next('det'),
      scenario: TEMPLATE_RATE,
      time: end,
      entity: { type: 'service', value: t.service },
      techniques: [],
      confidence: 0.5,
      severity: 'low',
      count,
      explanation:
        `log template ${id} from ${t.service} (source ${sourceId}) ${dir} ${count} of ${total} lines in ${opts.windowMs / 1000} s; ` +
        `expected ${band.expected.toFixed(1)} (band ${Math.max(0, band.lo).toFixed(1)}–${band.hi.toFixed(1)}, ` +
        `${(t.share.mean * 100).toFixed(1)} % of the source, usually ${t.count.mean.toFixed(1)} per window): "${truncate(t.text)}"`,
      evidence: [],
      labels: { detector: 'novelty', source: sourceId, template_id: id, template: truncate(t.text, 500) },
    };
  }

  /**
   * Close every window of `s` that ends at or before `time`. A window in which the source
   * logged nothing at all is "no data" (a restart, a rotation gap, a quiet night), not a rate
   * of zero: it is skipped without touching any band, so silence neither drags baselines down
   * (and then makes ordinary traffic look like a surge) nor reports every template as dropped.
   */
  function advance(sourceId: string, s: SourceState, time: number, out: Detection[]): void {
    while (time >= s.windowStart + opts.windowMs) {
      if (s.total === 0) {
        s.windowStart += Math.floor((time - s.windowStart) / opts.windowMs) * opts.windowMs;
        break;
      }
      closeWindow(sourceId, s, out);
    }
  }

  return {
    name: 'novelty',
    acceptsUnparsed: true,
    process(obs) {
      const id = obs.event['leuko.template.id'];
      if (typeof id !== 'string') return [];
      const dataset = obs.event['event.dataset'];
      if (typeof dataset === 'string' && opts.ignoreDatasets?.has(dataset)) return [];
      const text = String(obs.event['leuko.template.text'] ?? '');
      let s = sources.get(obs.sourceId);
      if (s === undefined) {
        s = {
          start: obs.time,
          windowStart: obs.time - (obs.time % opts.windowMs),
          counts: new Map(),
          total: 0,
          templates: new Map(),
          pending: new Map(),
        };
        sources.set(obs.sourceId, s);
      }
      const out: Detection[] = [];
      advance(obs.sourceId, s, obs.time, out);
      s.counts.set(id, (s.counts.get(id) ?? 0) + 1);
      s.total++;
      let t = s.templates.get(id);
      if (t === undefined) {
        const service = serviceOf(obs.event, obs.sourceId);
        t = {
          text,
          service,
          first: obs.time,
          share: newBand(),
          count: newBand(),
          out: false,
          lastReport: Number.MIN_SAFE_INTEGER,
        };
        s.templates.set(id, t);
        if (obs.time - s.start >= opts.learningMs) {
          s.pending.set(id, {
            id,
            text,
            service,
            first: obs.time,
            examples: [evidence(obs)],
            count: 1,
            reported: false,
          });
        }
      } else {
        t.text = text;
        const p = s.pending.get(id);
        if (p) {
          p.count++;
          p.text = text;
          if (p.examples.length < opts.examples) p.examples.push(evidence(obs));
        }
      }
      const p = s.pending.get(id);
      if (p && !p.reported && p.examples.length >= opts.examples) {
        // Enough examples: report now rather than at the window's close; the template stays
        // in `pending` until then so its partial first window is not judged as a rate.
        out.push(novelDetection(obs.sourceId, s, p));
        p.reported = true;
      }
      return out;
    },
    tick(time) {
      const out: Detection[] = [];
      for (const [id, s] of sources) advance(id, s, time, out);
      return out;
    },
    reset(sourceId) {
      if (sourceId === undefined) sources.clear();
      else sources.delete(sourceId);
    },
    snapshot() {
      return JSON.stringify({
        v: 1,
        sources: [...sources].map(([k, s]) => [
          k,
          { ...s, counts: [...s.counts], templates: [...s.templates], pending: [...s.pending] },
        ]),
      });
    },
    restore(text) {
      const parsed = JSON.parse(text) as {
        v?: number;
        sources?: [
          string,
          Omit<SourceState, 'counts' | 'templates' | 'pending'> & {
            counts: [string, number][];
            templates: [string, TemplateState][];
            pending: [string, Pending][];
          },
        ][];
      };
      if (parsed.v !== 1 || !Array.isArray(parsed.sources)) throw new Error('unknown novelty snapshot format');
      sources.clear();
      for (const [k, s] of parsed.sources) {
        sources.set(k, {
          start: s.start,
          windowStart: s.windowStart,
          total: s.total,
          counts: new Map(s.counts),
          templates: new Map(s.templates),
          pending: new Map(s.pending),
        });
      }
    },
  };
}

function truncate(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
