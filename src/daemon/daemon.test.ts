import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../core/clock.js';
import { createSequentialIds } from '../core/ids.js';
import { emptySourceStats, type LineBatch, type Source } from '../core/source.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../pipeline/settings.js';
import { createEphemeralStore } from '../store/ephemeral-store.js';
import { syslogStamp } from '../../test/support/syslog.js';
import { type RunningDaemon, startDaemon } from './daemon.js';

/** A source that emits the given batches, pausing `gapMs` between them, then idles. */
function scriptedSource(batches: string[][], gapMs: number): Source {
  return {
    id: 'auth',
    stats: emptySourceStats(),
    async run(emit: (b: LineBatch) => Promise<void>, ctx) {
      for (const [i, lines] of batches.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
        await emit({ sourceId: 'auth', lines });
      }
      await new Promise((r) => ctx.signal.addEventListener('abort', r, { once: true }));
    },
  };
}

describe('daemon event time', () => {
  let daemon: RunningDaemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  it('keeps a backlog source whose lines straddle a stall between two batches', async () => {
    // A backlog an hour old (a flood, or lines written while the daemon was down): six
    // failures overflow ssh-bf's bucket only if the first three are still in it when the
    // second batch comes. A wall-clock tick during the stall used to jump event time an hour
    // ahead and collect the bucket as drained: the address never got a decision.
    const t = syslogStamp(new Date(Date.now() - 3600_000));
    const line = (k: number) =>
      `${t} web1 sshd[${1000 + k}]: Failed password for root from 10.77.0.1 port ${20000 + k} ssh2`;
    const lines = [0, 1, 2, 3, 4, 5].map(line);
    const store = createEphemeralStore();
    const logged: string[] = [];
    daemon = await startDaemon({
      settings: DEFAULT_PIPELINE_SETTINGS,
      sources: [{ source: scriptedSource([lines.slice(0, 3), lines.slice(3)], 300), format: 'sshd' }],
      store,
      clock: systemClock,
      ids: createSequentialIds(),
      tickMs: 20,
      log: (level, message) => logged.push(`${level}: ${message}`),
    });
    const deadline = Date.now() + 10_000;
    while (daemon.stats.lines < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(daemon.stats.lines, logged.join('\n')).toBe(6);
    const decisions = await store.listDecisions({ value: '10.77.0.1' });
    expect(decisions.map((d) => d.scenario)).toEqual(['leuko/ssh-bf']);
  });
});

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
