export { DEFAULT_LOG_FILES, defaultConfig } from './defaults.js';
export { ADDRESS_HINT, DURATION_HINT, normalizeCidr, parseListen } from './fields.js';
export { formatIssue, formatIssues } from './format.js';
export { didYouMean, editDistance } from './hints.js';
export { createHostProbe } from './host-probe.js';
export { configJsonSchema } from './json-schema.js';
export { loadConfigFile, MAX_CONFIG_BYTES, parseConfigText } from './load.js';
export { LOOPBACK_ALLOWLIST, POLICY_MODES } from './policy.js';
export { DEFAULT_SYSLOG_LISTEN } from './resolve.js';
export { configSchema } from './schema.js';
export { BUILTIN_FORMATS, SOURCE_TYPES } from './sources.js';
export { DEFAULT_STORE_PATH } from './store.js';
export type {
  ConfigIssue,
  FileSourceConfig,
  HostProbe,
  JournaldSourceConfig,
  LeukoConfig,
  LoadOptions,
  LoadResult,
  ResponderConfig,
  SourceConfig,
  StdinSourceConfig,
  SyslogSourceConfig,
} from './types.js';
