import { resolve } from 'node:path';
import type { ParsedConfig } from './schema.js';
import type { LeukoConfig, ResponderConfig, SourceConfig } from './types.js';

type ParsedSource = NonNullable<ParsedConfig['sources']>[number];
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Default syslog listener: loopback only, so no other host can inject log lines. */
export const DEFAULT_SYSLOG_LISTEN = { host: '127.0.0.1', port: 5514 } as const;

/**
 * Give every source an id and absolute paths. Ids derive from what the source reads, not
 * from its position in the list, so reordering the config keeps each saved read position.
 */
export function resolveSource(s: ParsedSource, baseDir: string): SourceConfig {
  switch (s.type) {
    case 'file': {
      const path = resolve(baseDir, s.path);
      return { ...s, path, id: s.id ?? `file:${path}` };
    }
    case 'stdin':
      return { ...s, id: s.id ?? 'stdin' };
    case 'syslog': {
      const listen_udp = s.listen_udp ?? (s.listen_tcp === undefined ? DEFAULT_SYSLOG_LISTEN : undefined);
      return { ...s, listen_udp, id: s.id ?? 'syslog' };
    }
    case 'journald':
      return { ...s, id: s.id ?? `journald:${s.units.join(',') || 'all'}` };
  }
}

type ParsedResponder = ParsedConfig['responders'][number];

export function resolveResponder(r: ParsedResponder): ResponderConfig {
  return { ...r, id: r.id ?? r.type };
}

/** The runtime config from a fully parsed one: paths absolute, ids set. Not yet frozen. */
export function resolveConfig(parsed: ParsedConfig, baseDir: string): LeukoConfig {
  const store = parsed.store.path === undefined ? {} : { path: resolve(baseDir, parsed.store.path) };
  const config: Mutable<LeukoConfig> = {
    ...parsed,
    sources: (parsed.sources ?? []).map((s) => resolveSource(s, baseDir)),
    responders: parsed.responders.map((r) => resolveResponder(r)),
    store,
    scenarios: { ...parsed.scenarios, dirs: parsed.scenarios.dirs.map((d) => resolve(baseDir, d)) },
  };
  return config;
}

/** Freeze recursively: the runtime config is shared by every stage and must not drift. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
