export { createPostureFixResponder } from './responder.js';
