import path from 'node:path';
import { ConfigSet } from './config-set.js';
import { cfgGet, cfgGetEx, ConfigLookupError } from './interpolate.js';

/** What a fail2ban filter file defines once read, interpolated and its tags substituted. */
export interface FilterDefinition {
  readonly name: string;
  readonly files: readonly string[];
  readonly prefregex: string | undefined;
  readonly failregex: readonly string[];
  readonly ignoreregex: readonly string[];
  readonly maxlines: number;
  /** Lines of `datepattern`, undefined for fail2ban's default templates. */
  readonly datepattern: readonly string[] | undefined;
  readonly journalmatch: readonly string[];
  readonly usedns: string | undefined;
  /** The options given with the name (`sshd[mode=aggressive]`) merged with `[Init]`. */
  readonly options: Readonly<Record<string, string>>;
}

export class FilterReadError extends Error {
  constructor(
    readonly filter: string,
    message: string,
  ) {
    super(`fail2ban filter ${filter}: ${message}`);
    this.name = 'FilterReadError';
  }
}

const CONFIG_OPTS = ['usedns', 'prefregex', 'ignoreregex', 'failregex', 'maxlines', 'datepattern', 'journalmatch'];
const TAG_RE = /<([^ <>]+)>/g;
const MAX_TAG_REPLACE = 10;

/**
 * Split `sshd[mode=aggressive, publickey="any"]` into the name and its options, like
 * fail2ban's `extractOptions` (values may be quoted with ' or ").
 */
export function splitFilterSpec(spec: string): { name: string; options: Record<string, string> } {
  const m = /^\s*([^[\s]+)\s*(?:\[(.*)\])?\s*$/s.exec(spec);
  if (!m) throw new FilterReadError(spec, 'expected NAME or NAME[option=value, ...]');
  const options: Record<string, string> = {};
  const body = m[2] ?? '';
  const re = /\s*([\w.-]+)\s*=\s*(?:"((?:\\.|[^"])*)"|'((?:\\.|[^'])*)'|([^,\]]*?))\s*(?:,|$)/gy;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const o = re.exec(body);
    if (!o || o[0] === '') throw new FilterReadError(spec, `cannot read options near "${body.slice(pos, pos + 30)}"`);
    options[o[1]!] = o[2] ?? o[3] ?? o[4] ?? '';
    pos = re.lastIndex;
  }
  return { name: m[1]!, options };
}

/**
 * Read a filter the way fail2ban's `FilterReader` does: `[Definition]` options interpolated
 * with `%(...)s` (the filter options win over the file), `[Init]` values and the options
 * offered as `<tags>` and `known/` values, then `<tag>` substitution repeated until nothing
 * changes (`substituteRecursiveTags`), with `<section/option>` reaching other sections.
 *
 * @example
 * readFilter('/etc/fail2ban/filter.d', 'sshd', { mode: 'aggressive' }).failregex.length
 * @throws FilterReadError when the files are missing or an interpolation cannot be resolved.
 */
export function readFilter(
  filterDir: string,
  name: string,
  initOptions: Readonly<Record<string, string>> = {},
): FilterDefinition {
  if (!/^[\w.@+-]+$/.test(name)) throw new FilterReadError(name, 'a filter name is a plain file name');
  const cfg = ConfigSet.read(path.join(filterDir, name));
  if (cfg.files.length === 0) {
    throw new FilterReadError(name, `no ${name}.conf or ${name}.local under ${filterDir}`);
  }
  try {
    return build(cfg, name, initOptions);
  } catch (e) {
    if (e instanceof ConfigLookupError) throw new FilterReadError(name, e.message);
    throw e;
  }
}

function build(cfg: ConfigSet, name: string, initOptions: Readonly<Record<string, string>>): FilterDefinition {
  const initOpts = new Map<string, string>(Object.entries(initOptions));
  const pOpts = new Map(initOpts);
  if (!cfg.sections.has('Definition')) throw new FilterReadError(name, 'no [Definition] section');
  const opts = new Map<string, string>();
  for (const o of CONFIG_OPTS) {
    if (pOpts.has(o)) continue;
    try {
      opts.set(o, cfgGet(cfg, 'Definition', o, pOpts));
    } catch (e) {
      if (!(e instanceof ConfigLookupError) || e.kind !== 'no-option') throw e;
    }
  }
  const init = cfg.sections.get('Init');
  if (init) {
    for (const opt of init.keys()) {
      const v = cfgGet(cfg, 'Init', opt);
      if (!opt.startsWith('known/')) initOpts.set(`known/${opt}`, v);
      if (!initOpts.has(opt)) initOpts.set(opt, v);
    }
  }
  const combined = new Map([...opts, ...initOpts]);
  const ignore = new Set<string>();
  for (const k of combined.keys()) {
    const c = /^(\w+)(\?.+)$/.exec(k);
    if (c) ignore.add(c[1]!);
  }
  const cache = new Map<string, string | undefined>();
  const addrepl = (tag: string): string | undefined => {
    if (cache.has(tag)) return cache.get(tag);
    let v: string | undefined;
    try {
      v = cfgGetEx(cfg, 'Definition', tag, pOpts);
    } catch (e) {
      if (!(e instanceof ConfigLookupError) || e.kind === 'interpolation') throw e;
      v = undefined;
    }
    cache.set(tag, v);
    return v;
  };
  const subst = substituteRecursiveTags(combined, ignore, addrepl, name);
  const lines = (v: string | undefined) => (v === undefined ? [] : v.split('\n').filter((l) => l !== ''));
  const maxlinesText = subst.get('maxlines');
  const maxlines = maxlinesText === undefined ? 1 : Number.parseInt(maxlinesText, 10);
  if (!Number.isFinite(maxlines) || maxlines < 1) throw new FilterReadError(name, `bad maxlines "${maxlinesText}"`);
  const datepattern = subst.get('datepattern');
  const options: Record<string, string> = {};
  for (const [k, v] of initOpts) options[k] = v;
  const prefregex = subst.get('prefregex');
  return {
    name,
    files: cfg.files,
    prefregex: prefregex === undefined || prefregex === '' ? undefined : prefregex,
    failregex: lines(subst.get('failregex')),
    ignoreregex: lines(subst.get('ignoreregex')),
    maxlines,
    datepattern:
      datepattern === undefined
        ? undefined
        : datepattern
            .split(/\n+/)
            .map((s) => s.trim())
            .filter((s) => s !== ''),
    journalmatch: lines(subst.get('journalmatch')),
    usedns: subst.get('usedns'),
    options,
  };
}

/** Port of fail2ban's `helpers.substituteRecursiveTags`. */
function substituteRecursiveTags(
  input: Map<string, string>,
  ignore: ReadonlySet<string>,
  addrepl: (tag: string) => string | undefined,
  filter: string,
): Map<string, string> {
  const tags = new Map(input);
  const done = new Set<string>();
  const repCounts = new Map<string, Map<string, number>>();
  for (let round = 0; round < 1000; round++) {
    let again = false;
    for (const tag of [...tags.keys()]) {
      if (ignore.has(tag) || done.has(tag)) continue;
      const orig = tags.get(tag)!;
      let value = orig;
      const rplc = repCounts.get(tag) ?? new Map<string, number>();
      let m = searchTag(value, 0);
      while (m) {
        const rtag = m.tag;
        if (ignore.has(rtag)) {
          m = searchTag(value, m.end);
          continue;
        }
        if (rtag === tag || (rplc.get(rtag) ?? 1) > MAX_TAG_REPLACE) {
          throw new FilterReadError(filter, `self-referencing tag <${rtag}> in ${tag}`);
        }
        const repl = tags.get(rtag) ?? addrepl(rtag);
        if (repl === undefined) {
          m = searchTag(value, m.end);
          continue;
        }
        value = value.split(`<${rtag}>`).join(repl);
        rplc.set(rtag, (rplc.get(rtag) ?? 0) + 1);
        m = searchTag(value, m.start);
      }
      if (orig !== value) {
        if (searchTag(value, 0)) {
          repCounts.set(tag, rplc);
          again = true;
        }
        tags.set(tag, value);
      }
      if (!value.includes('<')) done.add(tag);
    }
    if (!again) break;
  }
  return tags;
}

function searchTag(value: string, from: number): { tag: string; start: number; end: number } | undefined {
  TAG_RE.lastIndex = from;
  const m = TAG_RE.exec(value);
  return m ? { tag: m[1]!, start: m.index, end: m.index + m[0].length } : undefined;
}
