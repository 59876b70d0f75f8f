export { createRestartServiceResponder } from './responder.js';
