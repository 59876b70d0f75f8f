/** One agent as the fleet view shows it: its last heartbeat and whether the hive trusts it. */
export interface FleetAgent {
  readonly agent: string;
  /** Wall-clock ms of the last heartbeat. */
  readonly lastSeen: number;
  readonly seenAgoS: number;
  readonly version: string;
  /** How far the agent's pipeline is behind its newest event; null before the first one. */
  readonly lagMs: number | null;
  readonly lines: number;
  readonly decisions: number;
  /** The heartbeat is signed by the agent's enrolled key. */
  readonly enrolled: boolean;
  readonly trustedScopes: readonly string[];
}

/**
 * What the hive adds to the API: the fleet's agents (src/fleet/fleet-status.ts reads them
 * from the bus). Fleet incidents need nothing new: they are incidents of the
 * `leuko/fleet-correlation` scenario in the hive's store, served by the incidents routes.
 */
export interface FleetView {
  agents(): Promise<FleetAgent[]>;
}
