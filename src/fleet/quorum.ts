/**
 * Reports from agents that are not trusted for a scope count towards a quorum: the fleet acts
 * on an entity once `k` distinct agents reported it within `windowMs`. One agent repeating
 * itself never makes a quorum, and reports age out, so a slow trickle of lies does not add up.
 */
export interface QuorumTracker {
  /** Record a report; returns the distinct reporters within the window (this one included). */
  report(entityKey: string, agent: string, at: number): readonly string[];
  readonly size: number;
}

export function createQuorumTracker(opts: { windowMs: number; maxEntities?: number }): QuorumTracker {
  const reports = new Map<string, Map<string, number>>();
  const max = opts.maxEntities ?? 100_000;
  return {
    get size() {
      return reports.size;
    },
    report(entityKey, agent, at) {
      let byAgent = reports.get(entityKey);
      if (!byAgent) {
        if (reports.size >= max) {
          // Bounded memory under a flood of distinct entities: forget the oldest entity.
          const oldest = reports.keys().next().value;
          if (oldest !== undefined) reports.delete(oldest);
        }
        byAgent = new Map();
        reports.set(entityKey, byAgent);
      }
      byAgent.set(agent, Math.max(at, byAgent.get(agent) ?? 0));
      const live: string[] = [];
      for (const [a, t] of byAgent) {
        if (at - t <= opts.windowMs) live.push(a);
        else byAgent.delete(a);
      }
      return live.sort();
    },
  };
}
