import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createSequentialIds } from '../core/ids.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../pipeline/settings.js';
import { createEphemeralStore } from '../store/index.js';
import { startDaemon } from './daemon.js';

describe('daemon', () => {
  it('releases the extensions of every pipeline it replaces or stops (no handle per reload)', async () => {
    let opened = 0;
    let closed = 0;
    const daemon = await startDaemon({
      settings: DEFAULT_PIPELINE_SETTINGS,
      sources: [],
      store: createEphemeralStore(),
      clock: createManualClock(0),
      ids: createSequentialIds(),
      extensions: () => {
        opened++;
        return { close: () => void closed++ };
      },
      log: () => {},
    });
    await daemon.reload();
    await daemon.reload();
    expect([opened, closed]).toEqual([3, 2]);
    await daemon.stop();
    expect(closed).toBe(3);
  });
});
