import type { DrainSnapshot } from './drain.js';
import { PIPELINE_DEFAULTS, stripSyslogHeader } from './defaults.js';
import { type MinerSettings, TemplateMiner } from './miner.js';

/** What the pipeline learns per line. */
export interface TemplateAssignment {
  /** `E<n>`: stable per source across restarts; `E0` is the overflow bucket past `maxTemplates`. */
  readonly id: string;
  readonly template: string;
  readonly created: boolean;
}

export const OVERFLOW_ID = 'E0';

export interface TemplateModelsOptions {
  /** Settings for sources not in `sources`; the built-in defaults when omitted. */
  readonly defaults?: MinerSettings | undefined;
  readonly sources?: Readonly<Record<string, MinerSettings>>;
  readonly maxTemplates: number;
}

/**
 * One Drain model per source. A source gets its own tree so a chatty source cannot crowd out
 * another's templates and ids are a per-source sequence. Sources without a `log_format` have
 * their syslog header (time, host, pid) removed before mining.
 */
export class TemplateModels {
  private readonly models = new Map<string, TemplateMiner>();
  /** Lines sent to the overflow bucket per source, since start (a metric, not persisted). */
  readonly overflow = new Map<string, number>();
  /** The last snapshot, reused while no line arrived (the pipeline snapshots every commit). */
  private cached: string | undefined;

  constructor(private readonly opts: TemplateModelsOptions) {}

  settingsFor(sourceId: string): MinerSettings {
    return this.opts.sources?.[sourceId] ?? this.opts.defaults ?? PIPELINE_DEFAULTS;
  }

  private model(sourceId: string): TemplateMiner {
    let m = this.models.get(sourceId);
    if (m === undefined) {
      m = new TemplateMiner(this.settingsFor(sourceId));
      this.models.set(sourceId, m);
    }
    return m;
  }

  mine(sourceId: string, line: string): TemplateAssignment {
    this.cached = undefined;
    const m = this.model(sourceId);
    const text = m.settings.log_format ? line : stripSyslogHeader(line);
    if (m.drain.size >= this.opts.maxTemplates && m.match(text) === undefined) {
      // Bounded state: past the cap a line that would open a template joins the overflow one.
      this.overflow.set(sourceId, (this.overflow.get(sourceId) ?? 0) + 1);
      return { id: OVERFLOW_ID, template: '<*>', created: false };
    }
    const r = m.add(text);
    return { id: `E${r.id}`, template: r.template, created: r.change === 'created' };
  }

  sources(): string[] {
    return [...this.models.keys()];
  }

  templates(sourceId: string): { id: string; template: string; count: number }[] {
    const m = this.models.get(sourceId);
    if (!m) return [];
    return [...m.drain.clusters()].map((c) => ({ id: `E${c.id}`, template: c.tokens.join(' '), count: c.size }));
  }

  /** Forget one source's model (ids restart at E1), or every model. */
  reset(sourceId?: string): void {
    this.cached = undefined;
    if (sourceId === undefined) this.models.clear();
    else this.models.delete(sourceId);
  }

  snapshot(): string {
    if (this.cached !== undefined) return this.cached;
    const models: Record<string, DrainSnapshot> = {};
    for (const [k, m] of this.models) models[k] = m.snapshot();
    this.cached = JSON.stringify({ v: 1, models });
    return this.cached;
  }

  /**
   * Restore the trees. A model whose Drain settings changed in the config since it was saved
   * is dropped: its tree was built under other rules, so its ids would not mean the same.
   */
  restore(text: string): void {
    this.cached = undefined;
    this.models.clear();
    for (const [sourceId, snap] of Object.entries(parseSnapshot(text))) {
      const settings = this.settingsFor(sourceId);
      const fresh = new TemplateMiner(settings).drain;
      if (snap.depth !== fresh.depth || snap.st !== fresh.st || snap.maxChild !== fresh.maxChild) continue;
      this.models.set(sourceId, TemplateMiner.restore(settings, snap));
    }
  }

  /** Restore every saved model whatever the configured settings (for listing and reset). */
  restoreAll(text: string): void {
    this.cached = undefined;
    this.models.clear();
    for (const [sourceId, snap] of Object.entries(parseSnapshot(text))) {
      this.models.set(sourceId, TemplateMiner.restore(this.settingsFor(sourceId), snap));
    }
  }
}

function parseSnapshot(text: string): Record<string, DrainSnapshot> {
  const parsed = JSON.parse(text) as { v?: number; models?: Record<string, DrainSnapshot> };
  if (parsed.v !== 1 || typeof parsed.models !== 'object' || parsed.models === null) {
    throw new Error('unknown templates snapshot format');
  }
  return parsed.models;
}
