export { type FileCheckpoint, parseCheckpoint } from './checkpoint.js';
export { createReplayFileSource, type ReplayFileSourceOptions } from './replay-source.js';
export { createFileSource, type FileSourceOptions } from './tail-source.js';
