import type { LabPaths } from './services.js';
import type { Lab } from './topology.js';

/**
 * The component that bans, plugged into the lab: it runs inside the victim namespace, tails
 * the files in `paths` and enforces with nftables there. The lab measures it from outside
 * (log lines appearing, set elements appearing, connections failing), so any implementation
 * is compared on the same footing.
 */
/** What the enforcer itself says made it ban an address (for the latency breakdown). */
export interface BanTrigger {
  /** When the enforcer reported the detection (labNow clock): its log or its output stream. */
  readonly detectedAt: number;
  /** The rule that fired (`leuko/ssh-bf`, `sshd` jail). */
  readonly rule: string;
  /**
   * The log line that tipped it over, verbatim, when the enforcer says which one. Otherwise
   * the lab takes the attacker's last line seen before `detectedAt`.
   */
  readonly line?: string;
}

export interface Enforcer {
  readonly name: string;
  /** Binaries it needs on the host (checked before the lab starts). */
  readonly tools?: readonly string[];
  /** Start and return once it is ready to act on new log lines. */
  start(lab: Lab, paths: LabPaths): Promise<void>;
  stop(): Promise<void>;
  /** Whether `addr` is in a set the enforcer's drop/reject rule uses, right now. */
  isBanned(addr: string): Promise<boolean>;
  /** The first detection that led to banning `addr` at or after `since`, if it can tell. */
  trigger?(addr: string, since: number): Promise<BanTrigger | undefined>;
  /** Where its own diagnostics go (shown when an attack is never banned). */
  readonly logFile?: string;
}

export interface EnforcerFactoryOptions {
  /** Record where the enforcer's own time goes, if it supports that (Leuko does). */
  readonly profile?: boolean;
}

export type EnforcerFactory = (options?: EnforcerFactoryOptions) => Enforcer;
