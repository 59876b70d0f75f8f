export { type ProcessConfig, processConfigSchema, processOptionsFromConfig } from './config.js';
export type { ProtectConfig } from './protection.js';
export { createProcessResponder, type ProcessResponderOptions } from './responder.js';
export { type ProcessTarget, parseProcessTarget, processDecisionValue } from './target.js';
