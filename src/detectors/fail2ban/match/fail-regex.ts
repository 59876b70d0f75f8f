import { compilePyRegex, type PyMatch, type PyRegex } from '../regex/py-regex.js';
import { resolveHostTags } from '../regex/tags.js';

/** A line split around its date: [before the date, the date text, after the date]. */
export type TupleLine = readonly [string, string, string];

export function tupleLinesBuf(lines: readonly TupleLine[]): string {
  return lines.map((v) => v[0] + v[2]).join('\n') + '\n';
}

const FAILURE_ID_GROUPS = ['fid', 'ip4', 'ip6', 'dns'];
const FAILURE_ID_PRESENTS = [...FAILURE_ID_GROUPS, 'mlfid'];
const COMPLNAME = /^(alt_|tuple_)(.*?)(?:_\d+)?$/;

export type Groups = Record<string, unknown>;

/**
 * fail2ban's `Regex`/`FailRegex`: a tag-resolved, translated expression searched in the
 * buffer of (date-less) lines, remembering which buffered lines it consumed (multi-line
 * filters keep the rest for the next line) and merging `alt_*` / `tuple_*` groups.
 */
export class F2bRegex {
  readonly re: PyRegex;
  readonly original: string;
  private readonly alt: [string, string][] = [];
  private readonly tuple: [string, string][] = [];
  private match: PyMatch | null = null;
  matchedLines: TupleLine[] = [];
  unmatchedLines: TupleLine[] = [];

  constructor(regex: string, opts: { multiline: boolean; useDns: string }) {
    this.original = regex;
    const resolved = resolveHostTags(regex, opts.useDns);
    if (resolved.trim() === '') throw new Error('Cannot add empty regex');
    this.re = compilePyRegex(resolved, { multiline: opts.multiline });
    for (const k of this.re.groupNames) {
      if (k.length <= 4) continue;
      const m = COMPLNAME.exec(k);
      if (!m) continue;
      const target = m[2]!.toLowerCase() === 'id' ? 'fid' : m[2]!.toLowerCase() === 'port' ? 'fport' : m[2]!;
      (m[1] === 'alt_' ? this.alt : this.tuple).push([k, target]);
    }
    this.alt.sort();
    this.tuple.sort();
  }

  hasGroup(names: readonly string[]): boolean {
    return names.some((n) => this.re.groupNames.includes(n));
  }

  /** Whether the expression carries a failure id (else fail2ban refuses it as a failregex). */
  hasFailureId(): boolean {
    return this.hasGroup(FAILURE_ID_PRESENTS);
  }

  search(buf: string, orgLines: readonly TupleLine[]): boolean {
    this.match = this.re.search(buf);
    const m = this.match;
    if (m === null) return false;
    if (orgLines.length <= 1) {
      this.matchedLines = [...orgLines];
      this.unmatchedLines = [];
      return true;
    }
    const lineStart = buf.lastIndexOf('\n', m.index) + 1;
    const endNl = buf.indexOf('\n', Math.max(m.end - 1, 0));
    const lineEnd = endNl < 0 ? buf.length : endNl + 1;
    const count = (to: number) => {
      let n = 0;
      for (let i = buf.indexOf('\n'); i >= 0 && i < to; i = buf.indexOf('\n', i + 1)) n++;
      return n;
    };
    const c1 = count(lineStart);
    const c2 = count(lineEnd);
    this.matchedLines = orgLines.slice(c1, c2);
    this.unmatchedLines = orgLines.slice(0, c1);
    let n = 0;
    for (const skipped of this.skippedLines()) {
      const rest = this.matchedLines.slice(n);
      const k = rest.findIndex((t) => t[0] + t[2] === skipped);
      if (k >= 0) {
        this.unmatchedLines.push(...this.matchedLines.splice(n + k, 1));
        n += k;
      }
    }
    this.unmatchedLines.push(...orgLines.slice(c2));
    return true;
  }

  private skippedLines(): string[] {
    const m = this.match;
    if (!m) return [];
    let text = '';
    for (let i = 0; this.re.groupNames.includes(`skiplines${i}`); i++) {
      const v = m.groups[`skiplines${i}`];
      if (v !== undefined) text += v;
    }
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  }

  groups(): Groups {
    const fail: Groups = { ...this.match?.groups };
    for (const [k, n] of this.alt) {
      const v = fail[k];
      if (v && !fail[n]) fail[n] = v;
    }
    for (const [k, n] of this.tuple) {
      const v = fail[k];
      const t = fail[n];
      fail[n] = Array.isArray(t) ? [...t, v] : [t, v];
    }
    return fail;
  }
}
