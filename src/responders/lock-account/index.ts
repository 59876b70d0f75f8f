export { type LockAccountConfig, lockAccountConfigSchema, lockAccountOptionsFromConfig } from './config.js';
export { createPriorStore, type PriorState, type PriorStore } from './prior-state.js';
export { createLockAccountResponder, type LockAccountResponderOptions } from './responder.js';
