export { type CommandConfig, commandConfigSchema, commandOptionsFromConfig } from './config.js';
export { type CommandResponderOptions, createCommandResponder } from './responder.js';
