export {
  type CommandRunner,
  createCountingRunner,
  EXEC_KILLED,
  type ExecOptions,
  type ExecResult,
  spawnRunner,
} from './exec.js';
export type { NftChain, NftCounter, NftElement, NftListing, NftRule, NftSet, NftTable, NftValue } from './json.js';
export { parseNftJson } from './json.js';
export {
  createNft,
  isNftNotFound,
  type Nft,
  type NftCallOptions,
  type NftOptions,
  PLATFORM_FAILED,
} from './nft.js';
