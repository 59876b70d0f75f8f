import { existsSync } from 'node:fs';
import path from 'node:path';
import { createHostProbe, defaultConfig, formatIssues, type LeukoConfig, loadConfigFile } from '../config/index.js';
import type { SourceSpec } from '../daemon/build-sources.js';
import { expandFileGlob, isGlob } from '../platform/glob.js';
import { jailLogSources } from '../detectors/fail2ban/jail/jail-sources.js';
import { parserNames } from '../parsers/index.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { defaultStoreDir } from '../store/index.js';
import { fail } from './output.js';

/** Global CLI options every command may carry. */
export interface RuntimeOptions {
  readonly config?: string;
  readonly store?: string;
}

/** The config resolved for the daemon and the commands that read its store. */
export interface Runtime {
  readonly config: LeukoConfig;
  readonly file: string | undefined;
  /** Directory relative paths in the config resolve against (the config's, else the cwd). */
  readonly baseDir: string;
  readonly settings: PipelineSettings;
  readonly sources: readonly SourceSpec[];
  /** File paths with glob characters: `leuko run` follows the files they name later too. */
  readonly sourcePatterns: readonly SourcePattern[];
  readonly storeDir: string;
  /**
   * A PostgreSQL store to read instead: `--store postgres://...`, `store.url`, or a hive
   * config's `fleet.hive.store_url`. `--store DIR` still picks SQLite.
   */
  readonly storeUrl?: { readonly url: string; readonly schema: string };
  readonly warnings: readonly string[];
}

export const SYSTEM_CONFIG = '/etc/leuko/leuko.yaml';

/**
 * Load `--config FILE`, else /etc/leuko/leuko.yaml when present, else the embedded defaults.
 * Invalid config: every issue is printed and undefined returned (exit code 2).
 */
export function loadRuntime(opts: RuntimeOptions): Runtime | undefined {
  const file = opts.config ?? (existsSync(SYSTEM_CONFIG) ? SYSTEM_CONFIG : undefined);
  let config: LeukoConfig;
  let warnings: string[] = [];
  if (file !== undefined) {
    const result = loadConfigFile(file, { knownFormats: parserNames });
    if (!result.ok) {
      fail(`invalid configuration:\n${formatIssues(result.issues)}`, 2);
      return undefined;
    }
    config = result.config;
    warnings = result.warnings.length > 0 ? [formatIssues(result.warnings)] : [];
  } else {
    config = defaultConfig(createHostProbe());
  }
  const base = file === undefined ? process.cwd() : path.dirname(path.resolve(file));
  // A hive's config reads the hive's store: `leuko --config hive.yaml incidents` shows the fleet's.
  const url =
    opts.store !== undefined && isPostgresUrl(opts.store)
      ? opts.store
      : (config.store.url ?? config.fleet?.hive?.store_url);
  const dirOption = opts.store !== undefined && !isPostgresUrl(opts.store) ? opts.store : undefined;
  let sources: SourceSpec[] | undefined;
  return {
    config,
    file,
    baseDir: base,
    settings: toPipelineSettings(config, base),
    // Only `leuko run` follows the sources: expanding path patterns (directory walks) and reading
    // fail2ban's jail files waits until it asks, and is done once.
    get sources() {
      sources ??= [
        ...toSourceSpecs(config),
        ...jailLogSources(config.fail2ban, base).map((s) => ({ type: 'file' as const, ...s, startAt: 'end' as const })),
      ];
      return sources;
    },
    sourcePatterns: sourcePatterns(config),
    storeDir:
      dirOption ?? (config.store.path === undefined ? defaultStoreDir() : path.resolve(base, config.store.path)),
    ...(url === undefined || dirOption !== undefined
      ? {}
      : { storeUrl: { url, schema: config.store.schema ?? config.fleet?.hive?.schema ?? 'leuko' } }),
    warnings,
  };
}

export function toPipelineSettings(config: LeukoConfig, base: string): PipelineSettings {
  return {
    allowlist: config.policy.allowlist,
    decisions: {
      mode: config.policy.mode,
      defaultDurationS: config.decisions.default_duration,
      escalation: {
        factor: config.decisions.escalation.factor,
        maxDurationS: config.decisions.escalation.max_duration,
        jitter: config.decisions.escalation.jitter,
      },
      ipv6Scope: config.decisions.ipv6_scope,
    },
    scenarios: {
      builtin: config.scenarios.builtin,
      dirs: config.scenarios.dirs.map((d) => path.resolve(base, d)),
      disable: config.scenarios.disable,
      overrides: config.scenarios.overrides,
    },
    incidentWindowMs: 6 * 3600_000,
  };
}

/** A file source whose path is a pattern: the files it names become sources of their own. */
export interface SourcePattern {
  readonly pattern: string;
  readonly format: string;
  /** How often it is looked at again for new files (config `rescan`). */
  readonly rescanMs: number;
  /** The id of the source following `path`. */
  idFor(path: string): string;
}

/**
 * File sources with glob characters in their path (`/var/log/nginx/*access.log`,
 * `/var/log/containers/*.log`). A file's id is `file:PATH`, the id it would have if listed alone,
 * or `ID:PATH` under an id the config gives.
 */
export function sourcePatterns(config: Pick<LeukoConfig, 'sources'>): SourcePattern[] {
  return config.sources.flatMap((s) => {
    const p = patternOf(s);
    return p === undefined ? [] : [p];
  });
}

function patternOf(s: LeukoConfig['sources'][number]): SourcePattern | undefined {
  if (s.type !== 'file' || !isGlob(s.path)) return undefined;
  const byDefault = s.id === `file:${s.path}`;
  return {
    pattern: s.path,
    format: s.format,
    rescanMs: (s.rescan ?? 10) * 1000,
    idFor: (p) => (byDefault ? `file:${p}` : `${s.id}:${p}`),
  };
}

/**
 * The resolved config already carries absolute paths and an id for every source. A pattern
 * becomes one source per file it names at start (see `sourcePatterns`), each with its own
 * checkpoint and parser; `leuko run` follows the files it names later too. A file listed on its
 * own, or named by an earlier pattern, is not read twice.
 */
export function toSourceSpecs(config: Pick<LeukoConfig, 'sources'>): SourceSpec[] {
  const taken = new Set(config.sources.flatMap((s) => (s.type === 'file' && !isGlob(s.path) ? [s.path] : [])));
  return config.sources.flatMap((s): SourceSpec[] => {
    const pattern = patternOf(s);
    if (s.type !== 'file' || pattern === undefined) return [toSourceSpec(s)];
    return expandFileGlob(s.path)
      .filter((p) => !taken.has(p) && taken.add(p))
      .map((p) => ({
        type: 'file',
        id: pattern.idFor(p),
        path: p,
        format: s.format,
        startAt: s.start_at,
        pattern: s.path,
      }));
  });
}

function toSourceSpec(s: LeukoConfig['sources'][number]): SourceSpec {
  switch (s.type) {
    case 'file':
      return { type: 'file', id: s.id, path: s.path, format: s.format, startAt: s.start_at };
    case 'stdin':
      return { type: 'stdin', id: s.id, format: s.format };
    case 'syslog':
      return {
        type: 'syslog',
        id: s.id,
        format: s.format,
        ...(s.listen_udp ? { udp: s.listen_udp } : {}),
        ...(s.listen_tcp ? { tcp: s.listen_tcp } : {}),
      };
    case 'journald':
      return { type: 'journald', id: s.id, format: s.format, units: s.units };
  }
}

function isPostgresUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//.test(s);
}
