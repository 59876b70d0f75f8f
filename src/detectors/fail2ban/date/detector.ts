import type { PyMatch } from '../regex/py-regex.js';
import {
  type DateContext,
  type DateTemplate,
  datePatternTemplate,
  epochTemplate,
  LINE_BEGIN,
  LINE_END,
  RE_EPOCH_PATTERN,
  tai64nTemplate,
  unboundPattern,
} from './template.js';

/** fail2ban's default templates (`DateDetectorCache.DEFAULT_TEMPLATES`), in its order. */
const DEFAULT_TEMPLATES = [
  String.raw`%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\s*%z)?`,
  String.raw`(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
  String.raw`(?:%a )?%b %d %ExY %k:%M:%S(?:\.%f)?`,
  String.raw`%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S`,
  String.raw`%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\.%f)?(?: %z)?`,
  String.raw`%m/%d/%ExY:%H:%M:%S`,
  String.raw`%m-%d-%ExY %k:%M:%S(?:\.%f)?`,
  'EPOCH',
  String.raw`{^LN-BEG}%H:%M:%S`,
  String.raw`^<%m/%d/%Exy@%H:%M:%S>`,
  String.raw`%Exy%Exm%Exd  ?%H:%M:%S`,
  String.raw`%b %d, %ExY %I:%M:%S %p`,
  String.raw`^%b-%d-%Exy %k:%M:%S`,
  String.raw`%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\s*%z)?`,
  String.raw`(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
  String.raw`(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\.%f)?(?: %ExY)?`,
  'TAI64N',
];

function templateFor(pattern: string, centuryYear: number): DateTemplate {
  const key = pattern.includes('%') ? pattern : pattern.toUpperCase();
  if (key.includes('EPOCH')) {
    if (RE_EPOCH_PATTERN.test(pattern)) return epochTemplate({ pattern, longFrm: key.includes('LEPOCH') });
    if (key === 'EPOCH' || key === '{^LN-BEG}EPOCH' || key === '^EPOCH') {
      return epochTemplate({ lineBeginOnly: key !== 'EPOCH' });
    }
    if (key === 'LEPOCH' || key === '{^LN-BEG}LEPOCH' || key === '^LEPOCH') {
      return epochTemplate({ lineBeginOnly: key !== 'LEPOCH', longFrm: true });
    }
  }
  if (key === 'TAI64N' || key === '{^LN-BEG}TAI64N' || key === '^TAI64N') {
    return tai64nTemplate(key !== 'TAI64N' ? 'start' : false);
  }
  return datePatternTemplate(pattern, centuryYear);
}

/** Default templates, each preceded by its line-anchored variant (weighted first by fail2ban). */
function defaultTemplates(centuryYear: number): { all: DateTemplate[]; plain: { pattern: string; t: DateTemplate }[] } {
  const anchored: DateTemplate[] = [];
  const plain: { pattern: string; t: DateTemplate }[] = [];
  for (const p of DEFAULT_TEMPLATES) {
    const t = templateFor(p, centuryYear);
    plain.push({ pattern: p, t });
    if (!t.name.startsWith('{^LN-BEG}') && !t.name.startsWith('^')) {
      const a = p === 'EPOCH' ? templateFor('{^LN-BEG}EPOCH', centuryYear) : templateFor(`{^LN-BEG}${p}`, centuryYear);
      if (a.name !== t.name) anchored.push(a);
    }
  }
  return { all: [...anchored, ...plain.map((x) => x.t)], plain };
}

const defaultsCache = new Map<number, ReturnType<typeof defaultTemplates>>();

function defaults(centuryYear: number): ReturnType<typeof defaultTemplates> {
  let d = defaultsCache.get(centuryYear);
  if (!d) {
    d = defaultTemplates(centuryYear);
    defaultsCache.set(centuryYear, d);
  }
  return d;
}

export interface DateFound {
  /** Start and end of the date text in the line (group 1 of the template). */
  readonly start: number;
  readonly end: number;
  /** Epoch seconds, undefined when the text matched but is no valid date. */
  readonly time: number | undefined;
}

/**
 * Finds and reads the date of a line (`DateDetector`): the templates a `datepattern` names
 * (`{^LN-BEG}` = the line-anchored defaults, `{DATE}` = every default inside a wrapper,
 * `{NONE}`, `EPOCH`, `TAI64N`, or a strptime pattern), else all defaults. Of several
 * templates matching, a line-anchored one wins, then the one found nearest the line start.
 */
export class DateDetector {
  private readonly templates: DateTemplate[] = [];
  private readonly names = new Set<string>();
  readonly none: boolean;

  constructor(
    patterns: readonly string[] | undefined,
    private readonly ctx: DateContext,
  ) {
    let none = false;
    for (const p of patterns ?? ['{DEFAULT}']) {
      const key = p.includes('%') ? p : p.toUpperCase();
      if (key === '{^LN-BEG}' || key === '{DEFAULT}') {
        for (const t of defaults(ctx.centuryYear).all) {
          if (key === '{^LN-BEG}' && !(t.flags & LINE_BEGIN)) continue;
          this.add(t, true);
        }
      } else if (/(?<!\\)\{DATE\}/i.test(p)) {
        for (const { t } of defaults(ctx.centuryYear).plain) {
          const inner = unboundPattern(t.pattern ?? t.regex);
          const wrapped = p.replace(/(?<!\\)\{DATE\}/gi, () => inner);
          this.add(datePatternTemplate(wrapped, ctx.centuryYear), true);
        }
      } else if (key === '{NONE}') {
        // No date in these lines: an empty match at the start, the time is "now".
        none = true;
        this.add(datePatternTemplate('{UNB}^', ctx.centuryYear), true);
      } else this.add(templateFor(p, ctx.centuryYear), this.templates.length > 0);
    }
    this.none = none;
  }

  private add(t: DateTemplate, ignoreDup: boolean): void {
    if (this.names.has(t.name)) {
      if (ignoreDup) return;
    }
    this.names.add(t.name);
    this.templates.push(t);
  }

  get size(): number {
    return this.templates.length;
  }

  match(line: string): { m: PyMatch; t: DateTemplate } | undefined {
    let best: { m: PyMatch; t: DateTemplate } | undefined;
    for (const t of this.templates) {
      const m = t.match(line);
      if (m === null) continue;
      if (t.flags & (LINE_BEGIN | LINE_END) || m.index <= 1) return { m, t };
      if (best === undefined || m.index < best.m.index) best = { m, t };
    }
    return best;
  }

  /** The date span and time of a line, or undefined when no template matches. */
  find(line: string, nowMs: number): DateFound | undefined {
    const hit = this.match(line);
    if (!hit) return undefined;
    const span = hit.m.span(1) ?? [hit.m.index, hit.m.end];
    const time = span[1] > span[0] ? hit.t.getDate(hit.m, { ...this.ctx, nowMs }) : undefined;
    return { start: span[0], end: span[1], time };
  }
}
