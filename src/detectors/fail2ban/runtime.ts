import path from 'node:path';
import { LeukoError } from '../../core/errors.js';
import type { ParserDefinition } from '../../core/parser.js';
import type { Scenario } from '../scenarios/types.js';
import { type FilterDefinition, readFilter, splitFilterSpec } from './config/filter-reader.js';
import { FORMAT_PREFIX, jailParser } from './jail/jail-parser.js';
import { jailScenario } from './jail/jail-scenario.js';
import { type JailSpec, readJailFile } from './jail/jail-spec.js';

/** The `fail2ban:` config section after validation (see src/config/fail2ban.ts). */
export interface Fail2banSettings {
  readonly filter_dir: string;
  readonly jail_file?: string | undefined;
  readonly time_zone?: string | undefined;
  readonly jails: readonly JailSpec[];
}

export interface JailRuntime {
  readonly jail: JailSpec;
  readonly filter: FilterDefinition;
  readonly format: string;
  readonly parser: ParserDefinition;
  readonly scenario: Scenario;
}

/** What the fail2ban section adds to Leuko: a parser and a scenario per jail (logs: jail-sources.ts). */
export interface Fail2banRuntime {
  readonly jails: readonly JailRuntime[];
  readonly parsers: ReadonlyMap<string, ParserDefinition>;
  readonly scenarios: readonly Scenario[];
}

/**
 * Build every configured jail (inline `jails` and the enabled ones of `jail_file`; an inline
 * jail overrides a file jail of the same name). A filter that cannot be read or translated
 * stops start-up with the filter, the expression and the reason.
 * @throws LeukoError('CONFIG_INVALID')
 */
export function buildFail2banRuntime(settings: Fail2banSettings, baseDir: string): Fail2banRuntime {
  const filterDir = path.resolve(baseDir, settings.filter_dir);
  const byName = new Map<string, JailSpec>();
  const problems: string[] = [];
  if (settings.jail_file !== undefined) {
    const read = readJailFile(path.resolve(baseDir, settings.jail_file));
    problems.push(...read.problems);
    for (const j of read.jails) byName.set(j.name, j);
  }
  for (const j of settings.jails) byName.set(j.name, j);
  const jails: JailRuntime[] = [];
  for (const jail of byName.values()) {
    try {
      const spec = splitFilterSpec(jail.filter);
      const opts = { ...spec.options };
      if (opts.logtype === undefined && jail.backend.startsWith('systemd')) opts.logtype = 'journal';
      const filter = readFilter(filterDir, spec.name, opts);
      const format = `${FORMAT_PREFIX}${jail.name}`;
      const parser = jailParser(
        jail.name,
        filter,
        settings.time_zone === undefined ? {} : { timeZone: settings.time_zone },
      );
      jails.push({ jail, filter, format, parser, scenario: jailScenario(jail) });
    } catch (e) {
      problems.push(`jail ${jail.name}: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new LeukoError('CONFIG_INVALID', `fail2ban: ${problems.join('\n')}`, { details: { problems } });
  }
  return {
    jails,
    parsers: new Map(jails.map((j) => [j.format, j.parser])),
    scenarios: jails.map((j) => j.scenario),
  };
}
