export { createIsolateHostResponder, type IsolateHostOptions, type IsolateHostResponder } from './responder.js';
