import type { ConfigSet } from './config-set.js';

/** Python's NoSectionError / NoOptionError / interpolation errors, as one typed error. */
export class ConfigLookupError extends Error {
  constructor(
    readonly kind: 'no-section' | 'no-option' | 'interpolation',
    message: string,
  ) {
    super(message);
    this.name = 'ConfigLookupError';
  }
}

const MAX_DEPTH = 10;
const KEY_RE = /^%\(([^)]+)\)s/;
const SECTION_OPT_SUBST = /%\(([\w-]+\/([^)]+))\)s/g;
const SECTION_OPTNAME = /^([\w-]+)\/([^\s>]+)$/;

/**
 * `ConfigParser.get` with fail2ban's `BasicInterpolationWithName`: `%(name)s` looked up in
 * `vars`, then the section, then `[DEFAULT]`; `%%` is a percent; `%(section/option)s` and
 * `%(known/option)s` reach other sections and overridden values.
 */
export function cfgGet(cfg: ConfigSet, section: string, option: string, vars?: ReadonlyMap<string, string>): string {
  const map = chain(cfg, section, vars);
  const key = option.toLowerCase();
  const raw = map.get(key);
  if (raw === undefined) throw new ConfigLookupError('no-option', `no option '${key}' in section '${section}'`);
  // BasicInterpolationWithName: `%(__name__)s` is the section (jail.conf's `filter = %(__name__)s`).
  if (!map.has('__name__')) map.set('__name__', section);
  const out: string[] = [];
  interpolate(cfg, section, raw, map, 1, out);
  return out.join('');
}

/** The raw (not interpolated) value, or undefined. */
export function cfgGetRaw(cfg: ConfigSet, section: string, option: string): string | undefined {
  return chain(cfg, section, undefined).get(option.toLowerCase());
}

function chain(cfg: ConfigSet, section: string, vars: ReadonlyMap<string, string> | undefined): Map<string, string> {
  const sec = section === 'DEFAULT' ? undefined : cfg.sections.get(section);
  if (section !== 'DEFAULT' && sec === undefined) {
    throw new ConfigLookupError('no-section', `no section '${section}'`);
  }
  const map = new Map(cfg.defaults);
  if (sec) for (const [k, v] of sec) map.set(k, v);
  if (vars) for (const [k, v] of vars) map.set(k.toLowerCase(), v);
  return map;
}

function interpolate(
  cfg: ConfigSet,
  section: string,
  rest: string,
  map: Map<string, string>,
  depth: number,
  out: string[],
): void {
  if (depth > MAX_DEPTH) throw new ConfigLookupError('interpolation', `interpolation too deep in [${section}]`);
  mapSectionOptions(cfg, section, rest, map);
  let r = rest;
  while (r.length > 0) {
    const p = r.indexOf('%');
    if (p < 0) {
      out.push(r);
      return;
    }
    if (p > 0) {
      out.push(r.slice(0, p));
      r = r.slice(p);
    }
    const c = r[1];
    if (c === '%') {
      out.push('%');
      r = r.slice(2);
    } else if (c === '(') {
      const m = KEY_RE.exec(r);
      if (!m)
        throw new ConfigLookupError('interpolation', `bad interpolation syntax in [${section}]: ${r.slice(0, 40)}`);
      const name = m[1]!;
      r = r.slice(m[0].length);
      const v = map.get(name.toLowerCase()) ?? map.get(name);
      if (v === undefined) {
        throw new ConfigLookupError('interpolation', `[${section}] refers to %(${name})s, which is not defined`);
      }
      if (v.includes('%')) interpolate(cfg, section, v, map, depth + 1, out);
      else out.push(v);
    } else {
      throw new ConfigLookupError('interpolation', `'%' must be followed by '%' or '(' in [${section}]`);
    }
  }
}

/** `%(section/option)s`, `%(known/option)s`, `%(default/option)s` made available in `map`. */
function mapSectionOptions(cfg: ConfigSet, section: string, rest: string, map: Map<string, string>): void {
  if (!rest.includes('/') || !rest.includes('%(')) return;
  for (const m of rest.matchAll(SECTION_OPT_SUBST)) {
    const sopt = m[1]!;
    const opt = m[2]!;
    if (map.has(sopt.toLowerCase())) continue;
    const sec = sopt.slice(0, sopt.length - opt.length - 1);
    const lower = sec.toLowerCase();
    let v: string | undefined;
    let useDefault = false;
    if (lower === 'default') useDefault = true;
    else if (lower === 'known') {
      v = cfg.sections.get(`KNOWN/${section}`)?.get(opt);
      useDefault = v === undefined;
    } else {
      const s = cfg.sections.get(sec);
      if (s === undefined) continue;
      v = s.get(opt);
      useDefault = v === undefined;
    }
    if (useDefault) v = cfg.defaults.get(opt);
    if (v === undefined) continue;
    map.set(sopt.toLowerCase(), v);
  }
}

/**
 * fail2ban's `get_ex`: an option name `section/option` reads another section (`known/x` the
 * value `x` had before a `.local` overrode it, `default/x` the `[DEFAULT]` one); any other name
 * is a plain `get` with `vars`.
 */
export function cfgGetEx(cfg: ConfigSet, section: string, option: string, vars?: ReadonlyMap<string, string>): string {
  const m = option.includes('/') ? SECTION_OPTNAME.exec(option) : null;
  if (m) {
    const sec = m[1]!;
    const opt = m[2]!;
    const lower = sec.toLowerCase();
    const tries = lower === 'known' ? [`KNOWN/${section}`, section] : lower === 'default' ? ['DEFAULT'] : [sec];
    for (const s of tries) {
      try {
        return cfgGet(cfg, s, opt);
      } catch (e) {
        if (!(e instanceof ConfigLookupError) || e.kind === 'interpolation') throw e;
      }
    }
  }
  return cfgGet(cfg, section, option, vars);
}
