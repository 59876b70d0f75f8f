export {
  createFileSource,
  createReplayFileSource,
  type FileCheckpoint,
  type FileSourceOptions,
  parseCheckpoint as parseFileCheckpoint,
  type ReplayFileSourceOptions,
} from './file/index.js';
export {
  createJournaldSource,
  fieldText,
  type JournaldSourceOptions,
  journalEntryToLine,
  journaldAvailable,
  journaldCheckpoint,
} from './journald/index.js';
export {
  type CanRun,
  createSource,
  defineSource,
  getSourceDefinition,
  type SourceDefinition,
  type SourceOptionsOf,
  type SourceRegistry,
  type SourceType,
  sourceRegistry,
} from './registry.js';
export { createStdinSource, type StdinSourceOptions } from './stdin/index.js';
export {
  createSyslogSource,
  type SyslogAddresses,
  type SyslogListen,
  type SyslogSource,
  type SyslogSourceOptions,
} from './syslog/index.js';
export { DEFAULT_MAX_LINE_BYTES } from './common/line-splitter.js';
