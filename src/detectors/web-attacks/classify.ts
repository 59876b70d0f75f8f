import { StringMemo } from '../../core/string-memo.js';
import { createMultiMatcher, type MultiMatcher } from '../scenarios/filter/aho-corasick.js';
import { cmdView, decodeLayers, sqlView } from './decode.js';
import { FILES } from './signatures/files.js';
import { MISC, SCANNER_AGENTS, unwrapLookups } from './signatures/misc.js';
import { RCE } from './signatures/rce.js';
import { REMOTE } from './signatures/remote.js';
import { SQLI } from './signatures/sqli.js';
import { XSS } from './signatures/xss.js';
import { ATTACK_CLASSES, type Classification, type Finding, type RequestPart, type Signature } from './types.js';

/** What an access log records of a request; the only input classification gets. */
export interface AccessRequest {
  /** Request target as logged: path and query, still percent-encoded. */
  readonly url?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly referrer?: string | undefined;
}

export const ALL_SIGNATURES: readonly Signature[] = [...MISC, ...RCE, ...SQLI, ...XSS, ...REMOTE, ...FILES];
const PLAIN = ALL_SIGNATURES.filter((s) => s.plain === true);

/**
 * A signature set with its literal prefilter: one Aho-Corasick pass over a value tells whether
 * any needle occurs at all; when none does (most clean values), only the needle-less
 * signatures run. Gates read the `text` view: the `sql` and `cmd` views only remove
 * characters, so a needle they contain is in `text` too, or is punctuation present in both.
 */
interface SignatureSet {
  readonly all: readonly Signature[];
  readonly ungated: readonly Signature[];
  readonly anyNeedle: MultiMatcher;
}

function signatureSet(sigs: readonly Signature[]): SignatureSet {
  const needles = [...new Set(sigs.flatMap((s) => s.needles ?? []))];
  return { all: sigs, ungated: sigs.filter((s) => s.needles === undefined), anyNeedle: createMultiMatcher(needles) };
}

const FULL_SET = signatureSet(ALL_SIGNATURES);
const PLAIN_SET = signatureSet(PLAIN);
const CLASS_RANK = new Map(ATTACK_CLASSES.map((c, i) => [c, i]));
const MAX_PART = 8192;
const MAX_FRAGMENT = 120;
const AGENTS = SCANNER_AGENTS.map((a) => a.toLowerCase());
const ANY_AGENT = createMultiMatcher(AGENTS);

/**
 * True when `s` holds only characters that cannot carry an injection by themselves (letters,
 * digits, `/._-=&,:`) and no `..`: most real URLs. Such values only meet the `plain`
 * signatures (file names, catalog names), which is what keeps clean traffic cheap.
 */
function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 58) ||
      (c >= 65 && c <= 90) ||
      c === 47 ||
      c === 95 ||
      c === 45 ||
      c === 61 ||
      c === 38 ||
      c === 44 ||
      (c === 46 && s.charCodeAt(i + 1) !== 46);
    if (!ok) return false;
  }
  return true;
}

/**
 * True for free text in the shape of an ordinary User-Agent (`Mozilla/5.0 (X11; Linux x86_64)
 * AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36`): letters, digits, spaces
 * and `()/;.,_:-` (`;` only before a space, `(` only after one). No quote, angle bracket, `$`, `=`, `%`, `{`, `|`, `&`, backtick or backslash
 * means no injection syntax, so only the plain signatures (file names, a bare command line)
 * apply. This is what keeps the per-line cost low: every request carries a User-Agent.
 */
function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // `;` only as User-Agents use it, between tokens (`Windows NT 10.0; Win64`): `;env`,
    // `users;--` or a leading `;` are command or statement separators.
    if (c === 59) {
      if (i === 0 || s.charCodeAt(i + 1) !== 32 || s.charCodeAt(i - 1) === 32) return false;
      continue;
    }
    // `(` only as a User-Agent comment opens (`Mozilla/5.0 (X11`), never as a call: `f(`, `)(`.
    if (c === 40) {
      if (i > 0 && s.charCodeAt(i - 1) !== 32) return false;
      continue;
    }
    const ok =
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 58) ||
      (c >= 65 && c <= 90) ||
      c === 32 ||
      c === 40 ||
      c === 41 ||
      c === 47 ||
      c === 46 ||
      c === 44 ||
      c === 95 ||
      c === 45;
    if (!ok) return false;
  }
  return true;
}

/** One unit of classification: a decoded value plus where it came from. */
interface Unit {
  readonly raw: string;
  readonly part: RequestPart;
  /** A whole query parameter value (anchors `valueOnly` signatures). */
  readonly isValue: boolean;
  /** Form encoding: `+` is a space at every decoding layer (`%2B` hides one for a second decode). */
  readonly form?: boolean;
}

/**
 * Findings per distinct unit. Access logs repeat themselves: a few hundred User-Agents, the
 * same referrers and static asset paths carry most lines, so most units are answered by one
 * map lookup. Bounded: the map is dropped when full (an attacker cycling unique values only
 * buys the uncached cost, never memory).
 */
const CACHE_MAX = 16_384;
const CACHE_MAX_KEY = 512;
const cache = new Map<string, readonly Finding[]>();
const NONE: readonly Finding[] = [];

function scanCached(u: Unit, out: Finding[]): void {
  if (u.raw.length > CACHE_MAX_KEY) {
    scan(u, out);
    return;
  }
  const key = `${u.part}${u.isValue ? 1 : 0}${u.form === true ? 1 : 0}${u.raw}`;
  let found = cache.get(key);
  if (found === undefined) {
    const fresh: Finding[] = [];
    scan(u, fresh);
    found = fresh.length === 0 ? NONE : fresh;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, found);
  }
  for (const f of found) out.push(f);
}

function scan(u: Unit, out: Finding[]): void {
  const raw = u.raw.length > MAX_PART ? u.raw.slice(0, MAX_PART) : u.raw;
  if (raw === '') return;
  const plain = u.part === 'user_agent' || u.part === 'referrer' ? isPlainText(raw) : isPlain(raw);
  let text = plain ? raw.toLowerCase() : decodeLayers(raw);
  if (u.form === true && text.indexOf('+') >= 0) text = text.replace(/\+/g, ' ');
  let sql: string | undefined;
  let cmd: string | undefined;
  let unwrapped: string | undefined;
  const set = plain ? PLAIN_SET : FULL_SET;
  const gated = set.anyNeedle.test(text);
  let first: string | undefined;
  for (const sig of gated ? set.all : set.ungated) {
    if (sig.valueOnly === true && !u.isValue) continue;
    if (sig.parts !== undefined && !sig.parts.includes(u.part)) continue;
    if (sig.needles !== undefined && !hasNeedle(text, sig.needles)) continue;
    if (
      sig.firstWord !== undefined &&
      !sig.firstWord.has((first ??= firstWord(QUOTING.test(text) ? (cmd ??= cmdView(text)) : text)))
    )
      continue;
    let view: string;
    if (sig.view === 'sql') view = sql ??= sqlView(text);
    else if (sig.view === 'cmd') view = cmd ??= cmdView(text);
    else view = text;
    let m = sig.re.exec(view);
    if (m === null && sig.cls === 'log4shell') {
      unwrapped ??= unwrapLookups(text);
      if (unwrapped !== text) m = sig.re.exec(unwrapped);
    }
    if (m === null) continue;
    out.push({ cls: sig.cls, signature: sig.id, part: u.part, fragment: fragmentOf(view, m), strength: sig.strength });
  }
}

/** Shell quoting that `cmdView` removes (`pi``ng`, `c''at`): the first word needs that view. */
const QUOTING = /[\\'"^`$]/;

function hasNeedle(view: string, needles: readonly string[]): boolean {
  for (const n of needles) if (view.indexOf(n) >= 0) return true;
  return false;
}

/** The command name a value starts with: `x=/usr/bin/wget http://` → `wget`. */
function firstWord(view: string): string {
  const m = /^\s*(?:[\w.-]+=)?(?:[\w.-]*\/)*([\w.-]+)/.exec(view);
  return m === null ? '' : m[1]!.replace(/\.exe$/, '');
}

/** The matched text, widened to at least 12 characters so an explanation quotes something readable. */
function fragmentOf(view: string, m: RegExpExecArray): string {
  let start = m.index;
  let end = m.index + m[0].length;
  if (end - start < 12) {
    start = Math.max(0, start - 4);
    end = Math.min(view.length, Math.max(end, start + 16));
  }
  const frag = view.slice(start, end).trim();
  return frag.length > MAX_FRAGMENT ? `${frag.slice(0, MAX_FRAGMENT - 1)}…` : frag;
}

/** Split `a=1&b=2` into names and values, keeping a `&` that starts no new `name=` (`;id&&ls`). */
function queryUnits(query: string, part: RequestPart, out: Unit[]): void {
  for (const pair of query.split(/&(?=[^&=]*=)/)) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (name !== '') out.push({ raw: name, part, isValue: eq < 0, form: true });
    if (value !== '') out.push({ raw: value, part, isValue: true, form: true });
  }
}

function urlUnits(url: string, out: Unit[], isReferrer: boolean): void {
  let target = url;
  if (isReferrer) {
    // Only what follows the host: the host and scheme are the referring site's own.
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
    if (m === null) {
      out.push({ raw: url, part: 'referrer', isValue: false });
      return;
    }
    target = url.slice(m[0].length);
  }
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const part: RequestPart = isReferrer ? 'referrer' : 'path';
  if (path !== '' && path !== '/') out.push({ raw: path, part, isValue: false });
  if (q >= 0) queryUnits(target.slice(q + 1), isReferrer ? 'referrer' : 'query', out);
}

/**
 * Findings per whole field value (a URL, a Referer, a User-Agent), in the order the units of
 * that value yield them. Most lines repeat a recent value, and one lookup then replaces
 * splitting the value into units, a lookup per unit and the scanner-agent scan. Separate memos:
 * the same text means different things as a URL, a Referer or an agent.
 */
const MEMO_SETS = 2048;
const MEMO_WAYS = 4;
const urlMemo = new StringMemo<readonly Finding[]>(MEMO_SETS, MEMO_WAYS, CACHE_MAX_KEY);
const referrerMemo = new StringMemo<readonly Finding[]>(MEMO_SETS, MEMO_WAYS, CACHE_MAX_KEY);
const agentMemo = new StringMemo<readonly Finding[]>(MEMO_SETS, MEMO_WAYS, CACHE_MAX_KEY);

function urlFindings(url: string, isReferrer: boolean): readonly Finding[] {
  const memo = isReferrer ? referrerMemo : urlMemo;
  let found = memo.get(url);
  if (found === undefined) {
    const units: Unit[] = [];
    urlUnits(url, units, isReferrer);
    const fresh: Finding[] = [];
    for (const u of units) scanCached(u, fresh);
    found = fresh.length === 0 ? NONE : fresh;
    memo.set(url, found);
  }
  return found;
}

/** The User-Agent as a unit (unless empty or `-`), then a scanner agent it names. */
function agentFindings(userAgent: string): readonly Finding[] {
  let found = agentMemo.get(userAgent);
  if (found === undefined) {
    const fresh: Finding[] = [];
    if (userAgent !== '' && userAgent !== '-') scanCached({ raw: userAgent, part: 'user_agent', isValue: true }, fresh);
    const scanner = scannerFinding(userAgent);
    if (scanner !== undefined) fresh.push(scanner);
    found = fresh.length === 0 ? NONE : fresh;
    agentMemo.set(userAgent, found);
  }
  return found;
}

function scannerFinding(userAgent: string): Finding | undefined {
  const ua = userAgent.toLowerCase();
  if (!ANY_AGENT.test(ua)) return undefined;
  for (const a of AGENTS) {
    const i = ua.indexOf(a);
    if (i >= 0)
      return {
        cls: 'scanner',
        signature: 'scanner.user-agent',
        part: 'user_agent',
        fragment: userAgent.slice(i, i + a.length),
        strength: 1,
      };
  }
  return undefined;
}

function pushAll(out: Finding[], found: readonly Finding[]): void {
  for (let i = 0; i < found.length; i++) out.push(found[i]!);
}

/** Every finding in a request, in no particular order. */
export function findAttacks(req: AccessRequest): Finding[] {
  const out: Finding[] = [];
  if (req.url !== undefined && req.url !== '') pushAll(out, urlFindings(req.url, false));
  if (req.referrer !== undefined && req.referrer !== '' && req.referrer !== '-')
    pushAll(out, urlFindings(req.referrer, true));
  if (req.userAgent !== undefined) pushAll(out, agentFindings(req.userAgent));
  return out;
}

/**
 * The findings of `findAttacks` computed without any memo (every unit scanned afresh): the
 * reference the memoized path is tested against.
 */
export function findAttacksDirect(req: AccessRequest): Finding[] {
  const units: Unit[] = [];
  if (req.url !== undefined && req.url !== '') urlUnits(req.url, units, false);
  if (req.referrer !== undefined && req.referrer !== '' && req.referrer !== '-') urlUnits(req.referrer, units, true);
  if (req.userAgent !== undefined && req.userAgent !== '' && req.userAgent !== '-')
    units.push({ raw: req.userAgent, part: 'user_agent', isValue: true });
  const out: Finding[] = [];
  for (const u of units) scan(u, out);
  const scanner = req.userAgent === undefined ? undefined : scannerFinding(req.userAgent);
  if (scanner !== undefined) out.push(scanner);
  return out;
}

/**
 * Classify one request from its access-log fields. The class is the strongest finding
 * (ties go to the more severe class: log4shell, rce, sqli, xss, rfi, ssrf, lfi, traversal,
 * scanner); `classes` lists every class found.
 *
 * @example
 * classifyRequest({ url: '/item?id=1%27%20or%20%271%27%3D%271' })
 * // → { cls: 'sqli', fragment: "' or '1'='1", part: 'query', ... }
 */
export function classifyRequest(req: AccessRequest): Classification | undefined {
  const found = findAttacks(req);
  if (found.length === 0) return undefined;
  found.sort((a, b) => b.strength - a.strength || CLASS_RANK.get(a.cls)! - CLASS_RANK.get(b.cls)!);
  const best = found[0]!;
  const classes: Classification['classes'][number][] = [];
  for (const f of found) if (!classes.includes(f.cls)) classes.push(f.cls);
  return { cls: best.cls, classes, fragment: best.fragment, part: best.part, signature: best.signature };
}
