export { parseScenarioText, loadScenarioFile, loadScenarios } from './load.js';
export { createScenarioEngine } from './engine.js';
export { builtinDataDir, builtinScenarioDir, packageRoot } from './paths.js';
export { compileFilter, type CompiledFilter, type MatchContext } from './filter/compile-filter.js';
export { htmlDecode, normalize, urlDecode } from './filter/transforms.js';
export { createMultiMatcher, type MultiMatcher } from './filter/aho-corasick.js';
export type {
  KindParams,
  RuleIssue,
  Scenario,
  ScenarioEngine,
  ScenarioEngineStats,
  ScenarioKind,
  ScenarioStats,
} from './types.js';
