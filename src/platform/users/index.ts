export {
  createUserDb,
  isValidUserName,
  parsePasswdLine,
  parseShadowLine,
  type ShadowEntry,
  type UserDb,
  type UserEntry,
} from './user-db.js';
export { createAccountOps, type AccountOps } from './account-ops.js';
