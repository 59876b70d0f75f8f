export { createGuard, type Guard } from './desired.js';
export { type Layout, SET_NAMES, type SetName } from './layout.js';
export { createNftablesResponder, type NftablesResponder, type NftablesResponderOptions } from './responder.js';
export { type BanTarget, neverBan, parseTarget } from './target.js';
