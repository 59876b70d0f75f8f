import path from 'node:path';
import { ConfigSet } from '../config/config-set.js';
import { cfgGet, ConfigLookupError } from '../config/interpolate.js';
import { parseF2bTime } from './time-spec.js';

/** One fail2ban jail: which filter reads which logs, and when an offender is banned. */
export interface JailSpec {
  readonly name: string;
  /** Filter name with options, e.g. `sshd[mode=aggressive]`. */
  readonly filter: string;
  readonly logpath: readonly string[];
  /** `systemd` reads the journal (`journalmatch` of the filter) instead of files. */
  readonly backend: string;
  readonly maxretry: number;
  /** Seconds. */
  readonly findtime: number;
  /** Seconds; negative: permanent. */
  readonly bantime: number;
}

export const JAIL_DEFAULTS = { maxretry: 5, findtime: 600, bantime: 600 } as const;

const NOT_JAILS = new Set(['DEFAULT', 'INCLUDES', 'Definition', 'Init']);

/**
 * Read the enabled jails of a fail2ban jail file the way fail2ban does: `jail.conf`,
 * `jail.d/*.conf`, `jail.local`, `jail.d/*.local` (given any of them), `[INCLUDES]`
 * (paths-debian.conf), `[DEFAULT]` inheritance and `%(...)s` / `%(__name__)s` interpolation.
 * Problems are returned per jail, never thrown, so one broken jail does not hide the others.
 */
export function readJailFile(file: string): { jails: JailSpec[]; problems: string[] } {
  const base = path.join(path.dirname(file), path.basename(file).replace(/\.(conf|local)$/, ''));
  const cfg = ConfigSet.read(base);
  const problems = [...cfg.issues];
  if (cfg.files.length === 0) return { jails: [], problems: [`${file}: no jail file found`] };
  const jails: JailSpec[] = [];
  for (const name of cfg.sections.keys()) {
    if (NOT_JAILS.has(name) || name.startsWith('KNOWN/')) continue;
    const get = (opt: string): string | undefined => {
      try {
        return cfgGet(cfg, name, opt);
      } catch (e) {
        if (e instanceof ConfigLookupError && e.kind === 'no-option') return undefined;
        throw e;
      }
    };
    try {
      const enabled = /^(1|on|true|yes)$/i.test(get('enabled') ?? 'false');
      if (!enabled) continue;
      const time = (opt: string, dflt: number) => {
        const v = get(opt);
        if (v === undefined) return dflt;
        const t = parseF2bTime(v);
        if (t === undefined) throw new Error(`${opt} = ${v} is not a time`);
        return t;
      };
      const maxretry = Number.parseInt(get('maxretry') ?? String(JAIL_DEFAULTS.maxretry), 10);
      if (!Number.isFinite(maxretry) || maxretry < 1) throw new Error('maxretry must be a positive number');
      jails.push({
        name,
        filter: get('filter') ?? name,
        logpath: (get('logpath') ?? '')
          .split('\n')
          .map((l) => l.trim().replace(/\s+(?:head|tail)$/, ''))
          .filter((l) => l !== ''),
        backend: get('backend') ?? 'auto',
        maxretry,
        findtime: time('findtime', JAIL_DEFAULTS.findtime),
        bantime: time('bantime', JAIL_DEFAULTS.bantime),
      });
    } catch (e) {
      problems.push(`jail ${name}: ${(e as Error).message}`);
    }
  }
  return { jails, problems };
}
