export { createRestoreFileResponder, type RestoreListener } from './responder.js';
