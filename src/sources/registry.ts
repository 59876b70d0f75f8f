import { LeukoError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import { createFileSource, type FileSourceOptions } from './file/index.js';
import { createJournaldSource, type JournaldSourceOptions, journaldAvailable } from './journald/index.js';
import { createStdinSource, type StdinSourceOptions } from './stdin/index.js';
import { createSyslogSource, type SyslogSourceOptions } from './syslog/index.js';

/** Whether a source can run on this host; a reason the user can act on when not. */
export type CanRun = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * A source plugin. Options are the runtime shape (camelCase, defaults applied by the config
 * resolver); the YAML schema lives in config/sources.ts.
 */
export interface SourceDefinition<O> {
  readonly type: string;
  readonly description: string;
  canRun?(options: O): Promise<CanRun>;
  create(options: O): Source;
}

export function defineSource<O>(definition: SourceDefinition<O>): SourceDefinition<O> {
  return definition;
}

/** Every built-in source type. Pass another map with the same shape to swap one in tests. */
export const sourceRegistry = {
  file: defineSource<FileSourceOptions>({
    type: 'file',
    description: 'Follow a log file like tail -F, resuming exactly where it stopped, through rotation',
    create: createFileSource,
  }),
  stdin: defineSource<StdinSourceOptions>({
    type: 'stdin',
    description: 'Lines from standard input, until end of file',
    create: createStdinSource,
  }),
  syslog: defineSource<SyslogSourceOptions>({
    type: 'syslog',
    description: 'Receive syslog over UDP and TCP (RFC 3164/5424 messages, RFC 6587 framing)',
    create: createSyslogSource,
  }),
  journald: defineSource<JournaldSourceOptions>({
    type: 'journald',
    description: 'Follow the systemd journal through journalctl, resuming from its cursor',
    canRun: async (o) =>
      (await journaldAvailable(o.command))
        ? { ok: true }
        : { ok: false, reason: `${o.command ?? 'journalctl'} is missing or shows no journal on this host` },
    create: createJournaldSource,
  }),
} as const;

export type SourceRegistry = typeof sourceRegistry;
export type SourceType = keyof SourceRegistry;
export type SourceOptionsOf<T extends SourceType> = Parameters<SourceRegistry[T]['create']>[0];

/** The definition for `type`; an unknown type is a `UNKNOWN_PLUGIN` error naming the known ones. */
export function getSourceDefinition<T extends SourceType>(
  type: T | string,
  registry: SourceRegistry = sourceRegistry,
): SourceRegistry[T] {
  if (!Object.hasOwn(registry, type)) {
    throw new LeukoError(
      'UNKNOWN_PLUGIN',
      `unknown source type "${type}"; known: ${Object.keys(registry).join(', ')}`,
      {
        details: { type, known: Object.keys(registry) },
      },
    );
  }
  return registry[type as T];
}

/**
 * @example
 * const src = createSource('file', { id: 'auth', path: '/var/log/auth.log' });
 */
export function createSource<T extends SourceType>(
  type: T,
  options: SourceOptionsOf<T>,
  registry: SourceRegistry = sourceRegistry,
): Source {
  const def = getSourceDefinition<T>(type, registry) as SourceDefinition<SourceOptionsOf<T>>;
  return def.create(options);
}
