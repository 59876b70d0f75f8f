import type { FilterDefinition } from '../config/filter-reader.js';
import { DateDetector } from '../date/detector.js';
import { RegexTranslationError } from '../regex/py-regex.js';
import { F2bRegex, type Groups, type TupleLine, tupleLinesBuf } from './fail-regex.js';
import { MlfidCache } from './mlfid-cache.js';

/** One failure (or, with `checkAllRegex`, a no-failure / pending match) found on a line. */
export interface Failure {
  readonly regexIndex: number;
  /** Failure id: the address or host name (`<HOST>`), or `<F-ID>`; undefined while pending. */
  readonly id: string | undefined;
  /** The address when `<F-ID>` and `<HOST>` both matched (fail2ban's `ip`). */
  readonly ip: string | undefined;
  readonly kind: 'ip4' | 'ip6' | 'dns' | 'id' | undefined;
  /** Epoch seconds of the line (undefined when it has none). */
  readonly time: number | undefined;
  readonly groups: Groups;
  /** A `<F-NOFAIL>` match: counted by fail2ban as no failure. */
  readonly nofail: boolean;
}

export interface FilterOptions {
  /** Report every matching failregex, as fail2ban's sample tests do (default: the first). */
  readonly checkAllRegex?: boolean;
  /** IANA zone for dates without one (default: the process's zone). */
  readonly timeZone?: string;
  /** Year `%ExY` is built around (default: this year, like fail2ban). */
  readonly centuryYear?: number;
  readonly useDns?: string;
}

/** A failregex, prefregex or ignoreregex that cannot run, with the reason. */
export interface RegexProblem {
  readonly filter: string;
  readonly option: 'failregex' | 'ignoreregex' | 'prefregex' | 'datepattern';
  readonly index: number;
  readonly regex: string;
  readonly reason: string;
}

export class FilterCompileError extends Error {
  constructor(readonly problems: readonly RegexProblem[]) {
    super(problems.map((p) => `${p.filter} ${p.option}[${p.index}]: ${p.reason}\n  ${p.regex}`).join('\n'));
    this.name = 'FilterCompileError';
  }
}

/**
 * A fail2ban filter running on a stream of lines (`server/filter.py`: `processLine` and
 * `findFailure`): the date is found and cut out, `prefregex` must match and its `<F-CONTENT>`
 * replaces the line, `ignoreregex` vetoes, the failregexes give the failure id; multi-line
 * filters keep a buffer of `maxlines` lines, and `<F-MLFID>` ties lines of one connection
 * together (`<F-NOFAIL>`, `<F-MLFFORGET>`, `<F-MLFGAINED>`), as sshd's filter needs.
 * Compiled once; one instance per stream (it keeps the buffer and connection state).
 */
export class Fail2banFilter {
  readonly name: string;
  private readonly fail: F2bRegex[] = [];
  private readonly ignore: F2bRegex[] = [];
  private readonly pref: F2bRegex | undefined;
  private readonly maxLines: number;
  private readonly dates: DateDetector;
  private readonly checkAll: boolean;
  private lineBuffer: TupleLine[] = [];
  private lastDate: number | undefined;
  private lastTimeText = '';
  private readonly mlfid = new MlfidCache(100, 5 * 60);
  /** Lines vetoed by an ignoreregex (for `leuko fail2ban test`). */
  ignored = 0;

  constructor(def: FilterDefinition, opts: FilterOptions = {}) {
    this.name = def.name;
    this.maxLines = def.maxlines;
    this.checkAll = opts.checkAllRegex === true;
    const useDns = (opts.useDns ?? def.usedns ?? 'warn').toLowerCase();
    const multiline = def.maxlines > 1;
    const problems: RegexProblem[] = [];
    const compile = (regex: string, option: RegexProblem['option'], index: number): F2bRegex | undefined => {
      try {
        return new F2bRegex(regex, { multiline, useDns });
      } catch (e) {
        const reason = e instanceof RegexTranslationError ? e.message : (e as Error).message;
        problems.push({ filter: def.name, option, index, regex, reason });
        return undefined;
      }
    };
    this.pref = def.prefregex === undefined ? undefined : compile(def.prefregex, 'prefregex', 0);
    def.failregex.forEach((r, i) => {
      const c = compile(r, 'failregex', i);
      if (!c) return;
      if (!c.hasFailureId() && !this.pref?.hasFailureId()) {
        problems.push({ filter: def.name, option: 'failregex', index: i, regex: r, reason: 'no failure-id group' });
        return;
      }
      this.fail.push(c);
    });
    def.ignoreregex.forEach((r, i) => {
      const c = compile(r, 'ignoreregex', i);
      if (c) this.ignore.push(c);
    });
    let dates: DateDetector | undefined;
    try {
      dates = new DateDetector(def.datepattern, {
        nowMs: 0,
        timeZone: opts.timeZone,
        centuryYear: opts.centuryYear ?? new Date().getFullYear(),
      });
    } catch (e) {
      problems.push({
        filter: def.name,
        option: 'datepattern',
        index: 0,
        regex: (def.datepattern ?? []).join('\n'),
        reason: (e as Error).message,
      });
    }
    if (problems.length > 0 || dates === undefined) throw new FilterCompileError(problems);
    this.dates = dates;
  }

  get failRegexCount(): number {
    return this.fail.length;
  }

  /** The expressions as fail2ban wrote them and as JavaScript runs them. */
  describe(): { option: string; python: string; js: readonly string[] }[] {
    const row = (option: string, r: F2bRegex) => ({ option, python: r.original, js: r.re.js });
    return [
      ...(this.pref ? [row('prefregex', this.pref)] : []),
      ...this.fail.map((r, i) => row(`failregex[${i}]`, r)),
      ...this.ignore.map((r, i) => row(`ignoreregex[${i}]`, r)),
    ];
  }

  /**
   * Process one line. `nowMs` is the stream's "now" (event time in replay). `known` gives the
   * time when the source already knows it (journal entries), skipping date detection.
   */
  processLine(line: string, nowMs: number, known?: { time: number; text: string }): Failure[] {
    let tuple: TupleLine;
    let date: number | undefined;
    const now = nowMs / 1000;
    if (known) {
      tuple = ['', known.text, line];
      date = known.time;
      this.lastTimeText = known.text;
      this.lastDate = date;
    } else {
      const found = this.dates.find(line, nowMs);
      if (found) {
        const text = line.slice(found.start, found.end);
        tuple = [line.slice(0, found.start), text, line.slice(found.end)];
        if (text !== '') {
          date = found.time;
          if (date !== undefined) {
            this.lastTimeText = text;
            this.lastDate = date;
          }
        } else if (this.lastDate !== undefined && this.lastDate > now - 60) {
          tuple = ['', this.lastTimeText, line];
          date = this.lastDate;
        } else date = now;
      } else tuple = ['', '', line];
      if (date === undefined && this.lastDate !== undefined && this.lastDate > now - 60) {
        tuple = ['', this.lastTimeText, line];
        date = this.lastDate;
      }
    }
    return this.findFailure(tuple, date, nowMs);
  }

  private ignoreLine(buf: string, org: readonly TupleLine[], failRegex?: F2bRegex): number | undefined {
    let b = buf;
    let o = org;
    if (failRegex && this.maxLines > 1) {
      o = failRegex.matchedLines;
      b = tupleLinesBuf(o);
    }
    for (let i = 0; i < this.ignore.length; i++) {
      if (this.ignore[i]!.search(b, o)) {
        this.ignored++;
        if ((!this.checkAll || this.maxLines > 1) && failRegex) this.lineBuffer = failRegex.unmatchedLines;
        return i;
      }
    }
    return undefined;
  }

  private findFailure(tuple: TupleLine, date: number | undefined, nowMs: number): Failure[] {
    const out: Failure[] = [];
    let org: TupleLine[];
    if (this.maxLines > 1) {
      this.lineBuffer.push(tuple);
      this.lineBuffer = this.lineBuffer.slice(-this.maxLines);
      org = this.lineBuffer;
    } else {
      this.lineBuffer = [tuple];
      org = this.lineBuffer;
    }
    let buf: string | undefined = tupleLinesBuf(org);
    if (this.ignore.length > 0 && this.ignore.length < this.fail.length - 2) {
      if (this.ignoreLine(buf, org) !== undefined) return out;
    }
    let preGroups: Groups = {};
    if (this.pref) {
      if (!this.pref.search(buf, org)) return out;
      preGroups = this.pref.groups();
      const repl = preGroups.content;
      delete preGroups.content;
      if (typeof repl === 'string' && repl !== '') {
        this.lineBuffer = [['', '', repl]];
        buf = undefined;
      }
    }
    for (let idx = 0; idx < this.fail.length; idx++) {
      const fr = this.fail[idx]!;
      if (buf === undefined) buf = tupleLinesBuf(this.lineBuffer);
      if (!fr.search(buf, org)) continue;
      let fail = fr.groups();
      if (this.ignore.length > 0 && this.ignoreLine(buf, org, fr) !== undefined) {
        buf = undefined;
        if (!this.checkAll) break;
        continue;
      }
      if (!this.checkAll || this.maxLines > 1) {
        this.lineBuffer = fr.unmatchedLines;
        buf = undefined;
      }
      // Python's `preGroups.copy().update(fail)`: the failregex's groups win, unset ones included.
      if (Object.keys(preGroups).length > 0) fail = { ...preGroups, ...fail };
      const mlfid = fail.mlfid;
      if (mlfid !== undefined && mlfid !== null) {
        fail = this.mergeFailure(String(mlfid), fail, nowMs);
        if (fail.nofail) {
          if (!this.checkAll) return out;
        }
      }
      let fid = str(fail.fid);
      let ip = str(fail.ip4);
      let kind: Failure['kind'] = 'ip4';
      if (ip === undefined) {
        ip = str(fail.ip6);
        kind = 'ip6';
        if (ip === undefined) {
          ip = str(fail.dns);
          kind = 'dns';
          if (ip === undefined) {
            kind = fid === undefined ? undefined : 'id';
            ip = fid;
          }
        }
      }
      if (ip === undefined) {
        // A connection line without its host yet: wait for it (mlfid pending).
        fail.mlfpending = 1;
        if (!this.checkAll) return out;
        out.push({
          regexIndex: idx,
          id: undefined,
          ip: undefined,
          kind: undefined,
          time: date,
          groups: fail,
          nofail: true,
        });
      } else {
        let address: string | undefined;
        if (fid === undefined || fid === ip) fid = ip;
        else address = ip;
        out.push({
          regexIndex: idx,
          id: fid,
          ip: address,
          kind: address !== undefined ? 'id' : kind,
          time: date,
          groups: this.checkAll && mlfid !== undefined ? { ...fail } : fail,
          nofail: Boolean(fail.nofail),
        });
      }
      if (!this.checkAll) break;
    }
    return out;
  }

  /** fail2ban's `_mergeFailure`: combine the failure with what its connection showed before. */
  private mergeFailure(mlfid: string, failIn: Groups, nowMs: number): Groups {
    let fail = failIn;
    const cached = this.mlfid.get(mlfid, nowMs / 1000);
    let users: Set<string> | undefined;
    let nf = 0;
    if (fail.mlfgained) {
      nf |= 8 | 1;
      if (!fail.nofail) fail.nofail = fail.mlfgained;
    } else if (fail.nofail) nf |= 1;
    if (fail.mlfforget) nf |= 2;
    delete fail.mlfforget;
    if (cached) {
      const g = cached;
      users = updateUsers(g, fail.user);
      if (g.nofail) nf |= 4;
      delete g.nofail;
      if (g.mlfgained) nf |= 4;
      delete g.mlfgained;
      if (nf & 8) delete g.mlfpending;
      if ((nf & 4) === 0 && !g.mlfpending) delete g.matches;
      for (const [k, v] of Object.entries(fail)) if (v !== undefined && v !== null) g[k] = v;
      fail = g;
      if (nf & 2) this.mlfid.unset(mlfid);
    } else if (!(nf & 2)) {
      users = updateUsers(fail, fail.user);
      this.mlfid.set(mlfid, fail, nowMs / 1000);
    }
    const pending = fail.mlfpending;
    delete fail.mlfpending;
    if (pending || (users !== undefined && users.size > 1)) {
      delete fail.nofail;
      delete fail.mlfgained;
      nf &= ~(8 | 1);
    }
    return fail;
  }
}

function updateUsers(fail: Groups, user: unknown): Set<string> | undefined {
  let users = fail.users as Set<string> | undefined;
  if (user !== undefined && user !== null) {
    if (!users) {
      users = new Set();
      fail.users = users;
    }
    users.add(String(user));
  }
  return users;
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}
