import type { LabPaths } from './services.js';
import type { Lab } from './topology.js';

/**
 * The component that bans, plugged into the lab: it runs inside the victim namespace, tails
 * the files in `paths` and enforces with nftables there. The lab measures it from outside
 * (log lines appearing, set elements appearing, connections failing), so any implementation
 * is compared on the same footing.
 */
export interface Enforcer {
  readonly name: string;
  /** Binaries it needs on the host (checked before the lab starts). */
  readonly tools?: readonly string[];
  /** Start and return once it is ready to act on new log lines. */
  start(lab: Lab, paths: LabPaths): Promise<void>;
  stop(): Promise<void>;
  /** Whether `addr` is in a set the enforcer's drop/reject rule uses, right now. */
  isBanned(addr: string): Promise<boolean>;
  /** Where its own diagnostics go (shown when an attack is never banned). */
  readonly logFile?: string;
}

export type EnforcerFactory = () => Enforcer;
