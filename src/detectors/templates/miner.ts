import { Drain, type DrainSnapshot, type MatchResult } from './drain.js';
import { compileLogFormat, type LogFormat } from './log-format.js';
import { createMasker, type Masker, WILDCARD } from './masking.js';
import { pyStrip, splitTokens } from './tokenize.js';

/**
 * The keys of one entry of Loghub's drain_benchmark_settings.json; all optional. Without a
 * `log_format` the whole line is the content.
 */
export interface MinerSettings {
  readonly log_format?: string | undefined;
  readonly regex?: readonly string[] | undefined;
  readonly st?: number | undefined;
  readonly depth?: number | undefined;
  readonly maxChild?: number | undefined;
}

/** logparser's defaults (`LogParser(depth=4, st=0.4, maxChild=100, rex=[])`). */
export const REFERENCE_DEFAULTS = { st: 0.4, depth: 4, maxChild: 100 } as const;

export interface MinedLine {
  readonly id: number;
  readonly template: string;
  readonly change: MatchResult['change'];
  /** The line did not fit `log_format`: its whole text was used as content. */
  readonly unformatted: boolean;
  /** The content Drain saw before masking (parameters are extracted from it). */
  readonly content: string;
}

/**
 * Line in, template out: log_format → content, masking regexes → `<*>`, whitespace split,
 * Drain. One miner is one model (one source); it is not shared across sources so a busy
 * source cannot crowd another's templates out of the tree.
 */
export class TemplateMiner {
  readonly drain: Drain;
  readonly settings: MinerSettings;
  private readonly format: LogFormat | undefined;
  private readonly masker: Masker;

  constructor(settings: MinerSettings = {}, drain?: Drain) {
    this.settings = settings;
    this.format = settings.log_format ? compileLogFormat(settings.log_format) : undefined;
    this.masker = createMasker(settings.regex ?? []);
    this.drain =
      drain ??
      new Drain({
        depth: settings.depth ?? REFERENCE_DEFAULTS.depth,
        st: settings.st ?? REFERENCE_DEFAULTS.st,
        maxChild: settings.maxChild ?? REFERENCE_DEFAULTS.maxChild,
      });
  }

  /** Learn from one raw line (any text: a line that fits no format still gets a template). */
  add(line: string): MinedLine {
    const { content, unformatted } = this.content(line);
    const r = this.drain.add(splitTokens(this.masker.mask(content)));
    return { id: r.cluster.id, template: r.cluster.tokens.join(' '), change: r.change, unformatted, content };
  }

  /** The template a line would get, without learning. */
  match(line: string): { id: number; template: string } | undefined {
    const c = this.drain.match(splitTokens(this.masker.mask(this.content(line).content)));
    return c && { id: c.id, template: c.tokens.join(' ') };
  }

  private content(line: string): { content: string; unformatted: boolean } {
    // logparser matches the format against `line.strip()`.
    const stripped = pyStrip(line);
    if (this.format === undefined) return { content: stripped, unformatted: false };
    const c = this.format.content(stripped);
    return c === undefined ? { content: stripped, unformatted: true } : { content: c, unformatted: false };
  }

  snapshot(): DrainSnapshot {
    return this.drain.snapshot();
  }

  static restore(settings: MinerSettings, snap: DrainSnapshot): TemplateMiner {
    return new TemplateMiner(settings, Drain.restore(snap));
  }
}

/**
 * The parameters of a line under its template (logparser's `get_parameter_list`): the
 * template's `<*>` become lazy groups, its spaces any whitespace, matched against the content.
 * Returns [] when the template has no wildcard or does not match the content.
 */
export function extractParameters(template: string, content: string): string[] {
  if (!template.includes(WILDCARD)) return [];
  const re = parameterRegex(template);
  const m = re.exec(content);
  return m ? m.slice(1).map((p) => p ?? '') : [];
}

const paramCache = new Map<string, RegExp>();
function parameterRegex(template: string): RegExp {
  let re = paramCache.get(template);
  if (re) return re;
  const source = template
    .split(WILDCARD)
    .map((part) => part.replace(/[^A-Za-z0-9 ]/g, '\\$&').replace(/ +/g, '\\s+'))
    .join('(.*?)');
  re = new RegExp(`^${source}$`, 's');
  if (paramCache.size > 1000) paramCache.clear();
  paramCache.set(template, re);
  return re;
}
