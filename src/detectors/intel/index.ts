export { intelAddon } from './addon.js';
export { createIntelDetector } from './detector.js';
export { IntelHub, intelHub, parseFeed, readFeedFile } from './feeds.js';
export { IndicatorSet, type Indicator, type IndicatorMatch } from './indicators.js';
export { IpTrie, parsePrefix } from './ip-trie.js';
export { loadCsv, loadMisp, loadPlain, loadStix } from './loaders.js';
export { createFeedRefresher } from './refresher.js';
