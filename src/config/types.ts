import type { ParsedConfig } from './schema.js';

/** One problem found in a config file, pointing at where to fix it. */
export interface ConfigIssue {
  readonly file: string;
  /** 1-based; absent when the problem has no place in the text (file not found). */
  readonly line?: number;
  readonly column?: number;
  /** Dotted path like `sources[1].path`; empty for the file as a whole. */
  readonly key: string;
  readonly message: string;
  /** A concrete fix. */
  readonly hint: string;
  readonly severity: 'error' | 'warning';
}

/** Where Leuko runs, as far as config resolution needs to know. Injected so tests decide. */
export interface HostProbe {
  exists(path: string): boolean;
  readonly journaldAvailable: boolean;
}

export interface LoadOptions {
  /** Parser names from the parser registry; defaults to the built-in list. */
  readonly knownFormats?: readonly string[];
  /** Scenario ids known to the rule loader; unknown ids in `disable`/`overrides` then warn. */
  readonly knownScenarios?: readonly string[];
  /** Turn warnings into errors (`--strict`). */
  readonly strict?: boolean;
  /** Directory relative paths are resolved from; defaults to the config file's directory. */
  readonly baseDir?: string;
  /** Defaults to the real host (file system, journald socket). */
  readonly probe?: HostProbe;
}

export type LoadResult =
  | { readonly ok: true; readonly config: LeukoConfig; readonly warnings: readonly ConfigIssue[] }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

type WithId<T> = T extends unknown ? Omit<T, 'id'> & { id: string } : never;
type ParsedSource = NonNullable<ParsedConfig['sources']>[number];
type ParsedResponder = ParsedConfig['responders'][number];

/** A source after resolution: absolute paths, an id always set, syslog with a listener. */
export type SourceConfig = DeepReadonly<WithId<ParsedSource>>;
export type FileSourceConfig = Extract<SourceConfig, { type: 'file' }>;
export type StdinSourceConfig = Extract<SourceConfig, { type: 'stdin' }>;
export type SyslogSourceConfig = Extract<SourceConfig, { type: 'syslog' }>;
export type JournaldSourceConfig = Extract<SourceConfig, { type: 'journald' }>;
export type ResponderConfig = DeepReadonly<WithId<ParsedResponder>>;

/**
 * The frozen runtime config, every default filled in. Durations are seconds (numbers);
 * allowlist entries are canonical network CIDRs (`127.0.0.0/8`, `::1/128`); `store.path`
 * undefined means "the default location" (DEFAULT_STORE_PATH, with the store's fallbacks).
 */
export type LeukoConfig = DeepReadonly<
  Omit<ParsedConfig, 'sources' | 'responders'> & { sources: SourceConfig[]; responders: ResponderConfig[] }
>;
