import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../core/clock.js';
import { createSequentialIds } from '../core/ids.js';
import type { Observation } from '../core/event.js';
import { emptySourceStats, type LineBatch, type Source } from '../core/source.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../pipeline/settings.js';
import { createEphemeralStore } from '../store/ephemeral-store.js';
import { syslogStamp } from '../../test/support/syslog.js';
import { type RunningDaemon, startDaemon } from './daemon.js';

/**
 * A source that emits the given batches, pausing `gapMs` between them, then idles. Each batch
 * carries a checkpoint when `checkpoints` names one for it, and says it read all there was with
 * `atEnd`.
 */
function scriptedSource(
  batches: string[][],
  gapMs: number,
  checkpoints: readonly string[] = [],
  id = 'auth',
  atEnd = false,
): Source {
  return {
    id,
    stats: emptySourceStats(),
    async run(emit: (b: LineBatch) => Promise<void>, ctx) {
      for (const [i, lines] of batches.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
        const checkpoint = checkpoints[i];
        await emit({
          sourceId: id,
          lines,
          ...(checkpoint === undefined ? {} : { checkpoint }),
          ...(atEnd ? { atEnd } : {}),
        });
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

describe('daemon restart', () => {
  it("gives back the event a parser held at the checkpoint it resumes from (auditd's open event)", async () => {
    // auditd without EOE: event 1 is complete only once a record of event 2 arrives. The first
    // daemon reads event 1's records, commits their checkpoint and goes; the second resumes
    // after that checkpoint, so event 1 comes back only through the parser state committed with it.
    const head = (serial: number) => `msg=audit(1718362801.000:${serial}):`;
    const exec = (serial: number, arg: string) => [
      `type=SYSCALL ${head(serial)} arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=${serial} auid=1000 uid=1000 gid=1000 euid=1000 comm="x" exe="/bin/x" key=(null)`,
      `type=EXECVE ${head(serial)} argc=1 a0="${arg}"`,
    ];
    const store = createEphemeralStore();
    const seen: unknown[] = [];
    const recorder = () => ({
      detectors: [
        {
          name: 'recorder',
          process: (obs: Observation) => {
            seen.push(obs.event['process.args']);
            return [];
          },
        },
      ],
    });
    const start = (batches: string[][], checkpoints: string[]) =>
      startDaemon({
        settings: DEFAULT_PIPELINE_SETTINGS,
        sources: [{ source: scriptedSource(batches, 0, checkpoints), format: 'auditd' }],
        store,
        clock: systemClock,
        ids: createSequentialIds(),
        extensions: recorder,
        log: () => {},
      });
    const waitLines = async (d: RunningDaemon, n: number) => {
      const deadline = Date.now() + 10_000;
      while (d.stats.lines < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(d.stats.lines).toBe(n);
    };
    const first = await start([exec(1, 'a')], ['after-event-1']);
    await waitLines(first, 2);
    await first.stop();
    expect(seen).toEqual([]);
    expect(await store.loadCheckpoint('auth')).toBe('after-event-1');

    const second = await start([exec(2, 'b')], ['after-event-2']);
    await waitLines(second, 4);
    await second.stop();
    expect(seen).toEqual([['a']]);
  });
});

describe('daemon restart with an nginx error record still held', () => {
  it('keeps the held lines in the parser state of the checkpoint, so a record split before a restart is still found', async () => {
    const store = createEphemeralStore();
    const found: string[] = [];
    const start = (batches: string[][], checkpoints: string[], atEnd: boolean) =>
      startDaemon({
        settings: DEFAULT_PIPELINE_SETTINGS,
        sources: [{ source: scriptedSource(batches, 0, checkpoints, 'auth', atEnd), format: 'nginx-error' }],
        store,
        clock: systemClock,
        ids: createSequentialIds(),
        log: () => {},
        listener: { onDetection: (d) => found.push(`${d.scenario} ${d.entity.value}`) },
      });
    const waitLines = async (d: RunningDaemon, n: number) => {
      const deadline = Date.now() + 10_000;
      while (d.stats.lines < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(d.stats.lines).toBe(n);
    };
    const stamp = '2026/12/08 00:07:21';
    // One request's path held a line break: nginx's record starts, the client's forged record
    // follows, and nginx's own end of the record comes only after the restart.
    const first = await start(
      [
        [
          `${stamp} [error] 42#42: *7 open() "/srv/www/x`,
          `${stamp} [error] 1#1: *1 user "admin": password mismatch, client: 203.0.113.9, server: a`,
        ],
      ],
      ['after-split'],
      false,
    );
    await waitLines(first, 2);
    await first.stop();
    expect(first.stats.events + first.stats.untrustedRecordLines).toBe(0);
    expect(await store.loadCheckpoint('auth')).toBe('after-split');

    const second = await start(
      [
        [
          'z" failed (2: No such file or directory), client: 198.51.100.7, server: a, request: "GET /x%0A2026 HTTP/1.1"',
        ],
      ],
      ['after-end'],
      true,
    );
    await waitLines(second, 3);
    // Read to its end: what the gate held goes through detection.
    const deadline = Date.now() + 10_000;
    while (second.stats.untrustedRecordLines < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await second.stop();
    expect(second.stats.untrustedRecordLines).toBe(2);
    expect(found).toEqual(['leuko/http-log-forging 198.51.100.7']);
  });
});

describe('daemon sources ended alone', () => {
  it("ends one of the config's sources on request while the others go on", async () => {
    const store = createEphemeralStore();
    const t = syslogStamp(new Date());
    const line = (k: number, ip: string) =>
      `${t} web1 sshd[${3000 + k}]: Failed password for root from ${ip} port ${40000 + k} ssh2`;
    const daemon = await startDaemon({
      settings: DEFAULT_PIPELINE_SETTINGS,
      sources: [
        { source: scriptedSource([[line(0, '10.77.0.3')]], 0, [], 'pod-a'), format: 'sshd' },
        { source: scriptedSource([[line(1, '10.77.0.4')], [line(2, '10.77.0.4')]], 300, [], 'pod-b'), format: 'sshd' },
      ],
      store,
      clock: systemClock,
      ids: createSequentialIds(),
      log: () => {},
    });
    try {
      const deadline = Date.now() + 10_000;
      while (daemon.stats.lines < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(await daemon.stopSource('pod-a')).toBe(true);
      expect(Object.keys(daemon.sourceStats())).toEqual(['pod-b']);
      // pod-b still runs: its second batch comes after the first one's gap.
      while (daemon.stats.lines < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(daemon.stats.lines).toBe(3);
      expect(await daemon.stopSource('pod-a')).toBe(false);
    } finally {
      await daemon.stop();
    }
    await daemon.done;
  });
});

describe('daemon sources added while it runs', () => {
  it('processes an added source like the others and ends it alone on request', async () => {
    const store = createEphemeralStore();
    const daemon = await startDaemon({
      settings: DEFAULT_PIPELINE_SETTINGS,
      sources: [],
      store,
      clock: systemClock,
      ids: createSequentialIds(),
      log: () => {},
    });
    try {
      const t = syslogStamp(new Date());
      const lines = [0, 1, 2, 3, 4, 5].map(
        (k) => `${t} web1 sshd[${2000 + k}]: Failed password for root from 10.77.0.2 port ${30000 + k} ssh2`,
      );
      const source = scriptedSource([lines], 0, [], 'pod-1');
      const handle = daemon.addSource({ source, format: 'sshd' });
      const deadline = Date.now() + 10_000;
      while (daemon.stats.lines < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(daemon.stats.lines).toBe(6);
      expect(Object.keys(daemon.sourceStats())).toEqual(['pod-1']);
      await handle.stop();
      expect(Object.keys(daemon.sourceStats())).toEqual([]);
      expect(await daemon.stopSource('pod-1')).toBe(false);
      expect((await store.listDecisions({ value: '10.77.0.2' })).map((d) => d.scenario)).toEqual(['leuko/ssh-bf']);
    } finally {
      await daemon.stop();
    }
    await daemon.done;
  });
});
