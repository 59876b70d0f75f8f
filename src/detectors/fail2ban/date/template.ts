import { compilePyRegex, type PyMatch, type PyRegex } from '../regex/py-regex.js';
import { groupsToEpoch } from './strptime.js';
import { expandTimeFields } from './time-re.js';

/**
 * fail2ban date templates (`server/datetemplate.py`): a regex whose group 1 is the date text
 * (cut out of the line before the failregex runs) plus how to read it as epoch seconds.
 */
export const LINE_BEGIN = 8;
export const LINE_END = 4;
const WORD_BEGIN = 2;
const WORD_END = 1;

export interface DateContext {
  readonly nowMs: number;
  readonly timeZone: string | undefined;
  /** Year the `%ExY` century range is built around (fail2ban uses the wall clock). */
  readonly centuryYear: number;
}

export interface DateTemplate {
  readonly name: string;
  readonly flags: number;
  /** The Python regex (for `{DATE}` wrapping and diagnostics). */
  readonly regex: string;
  /** The datepattern it came from, if any. */
  readonly pattern: string | undefined;
  match(line: string): PyMatch | null;
  /** Epoch seconds, or undefined when the matched text is not a valid date. */
  getDate(m: PyMatch, ctx: DateContext): number | undefined;
}

const RE_GROUPED = /(?<!(?:\(\?))(?<!\\)\((?!\?)/;
const RE_GROUP = /^((?:\(\?\w+\))?\^?(?:\(\?\w+\))?)(.*?)(\$?)$/s;
const RE_GLOBALFLAGS = /((?:^|(?!<\\))\(\?[a-z]+\))/;
const RE_EXLINE_NO_BOUNDS = /^\{UNB\}/;
const RE_EXLINE_BOUND_BEG = /^\{\^LN-BEG\}/;
const RE_EXSANC_BOUND_BEG = /^\((?:\?:)?\^\|\\b\|\\W\)/;
const RE_EXEANC_BOUND_BEG = /\(\?=\\b\|\\W\|\$\)$/;
const RE_NO_WRD_BOUND_BEG = /^\(*(?:\(\?\w+\))?(?:\^|\(*\*\*|\((?:\?:)?\^)/;
const RE_NO_WRD_BOUND_END = /(?<!\\)(?:\$\)?|\\b|\\s|\*\*\)*)$/;
const RE_DEL_WRD_BOUNDS = /^\(*(?:\(\?\w+\))?\(*\*\*|(?<!\\)\*\*\)*$/g;
const RE_LINE_BOUND_BEG = /^(?:\(\?\w+\))?(?:\^|\((?:\?:)?\^(?!\|))/;
const RE_LINE_BOUND_END = /(?<![\\|])(?:\$\)?)$/;
const RE_ALPHA_PATTERN = /(?<!%)%[aAbBpc]/;
export const RE_EPOCH_PATTERN = /(?<!\\)\{L?EPOCH\}/i;

/** `DateTemplate.setRegex`: word/line boundaries and the date group. */
function buildRegex(
  input: string,
  wordBegin: boolean | 'start',
  wordEnd: boolean,
  name: string,
): { regex: string; flags: number; name: string } {
  let regex = input.trim();
  const gf = RE_GLOBALFLAGS.exec(regex);
  if (gf) regex = regex.replace(RE_GLOBALFLAGS, '');
  const boundBegin = wordBegin !== false && !RE_NO_WRD_BOUND_BEG.test(regex);
  const boundEnd = wordEnd && !RE_NO_WRD_BOUND_END.test(regex);
  if (!RE_GROUPED.test(regex)) regex = regex.replace(RE_GROUP, '$1($2)$3');
  let flags = 0;
  let n = name;
  if (boundBegin) {
    flags |= wordBegin !== 'start' ? WORD_BEGIN : LINE_BEGIN;
    if (wordBegin !== 'start') regex = String.raw`(?=^|\b|\W)` + regex;
    else {
      regex = String.raw`^(?:\W{0,2})?` + regex;
      if (!n.startsWith('{^LN-BEG}')) n = `{^LN-BEG}${n}`;
    }
  }
  if (boundEnd) {
    flags |= WORD_END;
    regex += String.raw`(?=\b|\W|$)`;
  }
  if (!(flags & LINE_BEGIN) && RE_LINE_BOUND_BEG.test(regex)) flags |= LINE_BEGIN;
  if (!(flags & LINE_END) && RE_LINE_BOUND_END.test(regex)) flags |= LINE_END;
  regex = regex.replace(RE_DEL_WRD_BOUNDS, (m) => m.replaceAll('**', ''));
  if (gf) regex = gf[1]! + regex;
  return { regex, flags, name: n };
}

/** `DateTemplate.unboundPattern`. */
export function unboundPattern(p: string): string {
  return p
    .replace(RE_EXLINE_NO_BOUNDS, '')
    .replace(RE_EXLINE_BOUND_BEG, '')
    .replace(RE_EXSANC_BOUND_BEG, '')
    .replace(RE_EXEANC_BOUND_BEG, '');
}

function compiled(regex: string): PyRegex {
  return compilePyRegex(regex, { indices: true });
}

function searchOf(re: PyRegex): (line: string) => PyMatch | null {
  return (line) => re.search(line);
}

/** A `datepattern` with strptime fields (`DatePatternRegex`). */
export function datePatternTemplate(pattern: string, centuryYear: number): DateTemplate {
  let p = pattern;
  let wordBegin: boolean | 'start' = true;
  let wordEnd = true;
  if (RE_EXLINE_NO_BOUNDS.test(p)) {
    p = p.replace(RE_EXLINE_NO_BOUNDS, '');
    wordBegin = false;
    wordEnd = false;
  }
  if (wordBegin && RE_EXLINE_BOUND_BEG.test(p)) {
    p = p.replace(RE_EXLINE_BOUND_BEG, '');
    wordBegin = 'start';
  }
  let regex = expandTimeFields(p, centuryYear);
  if (RE_ALPHA_PATTERN.test(p)) regex = `(?iu)${regex}`;
  const built = buildRegex(regex, wordBegin, wordEnd, p);
  const re = compiled(built.regex);
  return {
    name: built.name,
    flags: built.flags,
    regex: built.regex,
    pattern,
    match: searchOf(re),
    getDate: (m, ctx) => groupsToEpoch(m.groups, ctx.nowMs, ctx.timeZone),
  };
}

const EPOCH_RE = String.raw`\d{10,11}\b(?:\.\d{3,6})?`;
const LONG_EPOCH_RE = String.raw`\d{10,11}(?:\d{3}(?:\.\d{1,6}|\d{3})?)?`;

/** Unix timestamps (`DateEpoch`): at line start, in `[...]`, or in `audit(...)`. */
export function epochTemplate(opts: { lineBeginOnly?: boolean; pattern?: string; longFrm?: boolean }): DateTemplate {
  const longFrm = opts.longFrm === true;
  const epochRe = longFrm ? LONG_EPOCH_RE : EPOCH_RE;
  let name = longFrm ? 'LongEpoch' : 'Epoch';
  let grpIdx = 1;
  let built: { regex: string; flags: number; name: string };
  if (opts.pattern !== undefined) {
    name = opts.pattern;
    grpIdx = 2;
    const regex = `(${opts.pattern.replace(new RegExp(RE_EPOCH_PATTERN.source, 'gi'), () => `(${epochRe})`)})`;
    built = buildRegex(regex, true, true, name);
  } else if (!opts.lineBeginOnly) {
    const regex = String.raw`((?:^|(?P<square>(?<=^\[))|(?P<selinux>(?<=\baudit\()))${epochRe})(?:(?(selinux)(?=:\d+\)))|(?(square)(?=\])))`;
    built = buildRegex(regex, false, true, name);
  } else {
    const regex = String.raw`((?P<square>(?<=^\[))?${epochRe})(?(square)(?=\]))`;
    built = buildRegex(regex, 'start', true, name);
  }
  const re = compiled(built.regex);
  return {
    name: built.name,
    flags: built.flags,
    regex: built.regex,
    pattern: opts.pattern,
    match: searchOf(re),
    getDate: (m) => {
      const text = m.group(grpIdx);
      if (text === undefined) return undefined;
      let v = Number(text);
      if (longFrm && text.length >= 13) v = text.length >= 16 && !text.includes('.') ? v / 1_000_000 : v / 1000;
      return Number.isFinite(v) ? v : undefined;
    },
  };
}

/** TAI64N labels (`@4000000042f5dc9c2b8dc3b4`, as written by daemontools/dovecot). */
export function tai64nTemplate(wordBegin: boolean | 'start'): DateTemplate {
  const built = buildRegex('@[0-9a-f]{24}', wordBegin, true, 'TAI64N');
  const re = compiled(built.regex);
  return {
    name: built.name,
    flags: built.flags,
    regex: built.regex,
    pattern: undefined,
    match: searchOf(re),
    getDate: (m) => {
      const text = m.group(1);
      return text === undefined ? undefined : Number.parseInt(text.slice(2, 17), 16);
    },
  };
}
