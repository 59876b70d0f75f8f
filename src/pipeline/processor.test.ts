import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import type { CommitBatch, Store } from '../core/store.js';
import type { DecisionMaker } from '../decisions/decision-maker.js';
import type { ScenarioEngine } from '../detectors/scenarios/index.js';
import type { IncidentManager } from '../incidents/incident-manager.js';
import { createProcessor, ENGINE_STATE_KEY, SNAPSHOT_COST_FACTOR } from './processor.js';

/** A processor over stubs whose store commit takes `costMs` of the clock when it carries a snapshot. */
function setup(costMs: number) {
  const clock = createManualClock(1_000_000);
  const commits: CommitBatch[] = [];
  const store = {
    async commit(batch: CommitBatch) {
      commits.push(batch);
      if (batch.state?.some((e) => e.key === ENGINE_STATE_KEY)) clock.advance(costMs);
    },
  } as unknown as Store;
  const engine = {
    scenarios: [],
    process: () => [],
    tick: () => [],
    snapshot: () => 'buckets',
    restore() {},
  } as unknown as ScenarioEngine;
  const processor = createProcessor({
    parserFor: () => () => null,
    engine,
    incidents: {} as IncidentManager,
    decisions: {} as DecisionMaker,
    store,
    clock,
    persistEngineState: true,
    commitIntervalMs: 1000,
  });
  let offset = 0;
  const batch = () => {
    offset += 10;
    return processor.processBatch({ sourceId: 'auth', lines: ['x'], checkpoint: String(offset) });
  };
  const snapshots = () => commits.filter((c) => c.state?.some((e) => e.key === ENGINE_STATE_KEY)).length;
  return { clock, commits, batch, snapshots, processor };
}

describe('processor checkpoint commits', () => {
  it('commits checkpoint and snapshot at most every commitIntervalMs when the snapshot is cheap', async () => {
    const { clock, batch, snapshots } = setup(0);
    await batch();
    expect(snapshots()).toBe(1);
    clock.advance(999);
    await batch();
    expect(snapshots()).toBe(1);
    clock.advance(1);
    await batch();
    expect(snapshots()).toBe(2);
  });

  it('spaces costly snapshots by SNAPSHOT_COST_FACTOR times their cost, then catches up', async () => {
    const cost = 400;
    const { clock, commits, batch, snapshots, processor } = setup(cost);
    await batch();
    expect(snapshots()).toBe(1);
    // The snapshot took 400 ms: the next waits 4 s, not the 1 s interval.
    clock.advance(2000);
    await batch();
    expect(snapshots()).toBe(1);
    clock.advance(cost * SNAPSHOT_COST_FACTOR - 2000);
    await batch();
    expect(snapshots()).toBe(2);
    // The held-back checkpoints are not lost: the next snapshot commit carries the latest one.
    expect(commits.at(-1)?.checkpoints).toEqual([{ sourceId: 'auth', state: '30' }]);
    // A flush (stop, reload) never waits.
    await batch();
    await processor.flush();
    expect(snapshots()).toBe(3);
    expect(commits.at(-1)?.checkpoints).toEqual([{ sourceId: 'auth', state: '40' }]);
  });
});
