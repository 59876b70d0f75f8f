import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createSequentialIds } from '../core/ids.js';
import { createEphemeralStore } from '../store/ephemeral-store.js';
import { assemblePipeline } from './assemble.js';
import { DEDUP_STATE_KEY } from './processor.js';
import { DEFAULT_PIPELINE_SETTINGS } from './settings.js';

/** An sshd pipeline on an in-memory store at 2026-12-06 10:00 (a manual clock). */
function sshdPipeline(extra: Partial<Parameters<typeof assemblePipeline>[0]> = {}) {
  const clock = createManualClock(Date.UTC(2026, 11, 6, 10));
  const { processor } = assemblePipeline({
    settings: DEFAULT_PIPELINE_SETTINGS,
    store: createEphemeralStore(),
    clock,
    ids: createSequentialIds(),
    formatFor: () => 'sshd',
    persistEngineState: false,
    ...extra,
  });
  return { clock, processor };
}

describe('assemblePipeline', () => {
  it('gives the parsers the time at the start of each batch', async () => {
    // A bare sshd message (no envelope) is stamped with the parser's "now": the batch clock.
    const { clock, processor } = sshdPipeline({ scenarios: [] });
    const line = 'Invalid user test from 198.51.100.2 port 4242';
    await processor.processBatch({ sourceId: 'stdin', lines: [line] });
    expect(processor.stats.lastEventTime).toBe(Date.UTC(2026, 11, 6, 10));
    clock.advance(60_000);
    await processor.processBatch({ sourceId: 'stdin', lines: [line] });
    expect(processor.stats.lastEventTime).toBe(Date.UTC(2026, 11, 6, 10, 1));
  });

  it('counts a `message repeated N times` line as the N lines it stands for (one brute-force connection)', async () => {
    const scenarios: string[] = [];
    const { processor } = sshdPipeline({ listener: { onDetection: (d) => scenarios.push(d.scenario) } });
    // Six failed passwords on one connection, as rsyslog's RepeatedMsgReduction writes them: the
    // first on its own line, the five identical others as one. ssh-bf holds five.
    const fail = 'Failed password for root from 203.0.113.90 port 50000 ssh2';
    await processor.processBatch({
      sourceId: 'auth',
      lines: [
        `Dec  6 09:59:00 web1 sshd[7]: ${fail}`,
        `Dec  6 09:59:04 web1 sshd[7]: message repeated 5 times: [ ${fail}]`,
      ],
    });
    expect(processor.stats.lines).toBe(2);
    expect(scenarios).toContain('leuko/ssh-bf');
  });

  it("counts sysklogd's `last message repeated N times` as N more of the line before", async () => {
    const scenarios: string[] = [];
    const { processor } = sshdPipeline({ listener: { onDetection: (d) => scenarios.push(d.scenario) } });
    await processor.processBatch({
      sourceId: 'auth',
      lines: [
        'Dec  6 09:59:00 web1 sshd[7]: Failed password for root from 203.0.113.91 port 50000 ssh2',
        'Dec  6 09:59:04 web1 last message repeated 5 times',
      ],
    });
    expect(scenarios).toContain('leuko/ssh-bf');
  });

  it("counts a syslog record once when two followed files hold it (Debian's syslog and mail.log)", async () => {
    const fails = (n: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          `Dec  6 09:59:0${i} mx postfix/smtpd[81${i}]: warning: unknown[203.0.113.92]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`,
      );
    const run = async (dedupAcrossSources: boolean) => {
      const scenarios: string[] = [];
      const { processor } = sshdPipeline({
        formatFor: () => 'syslog',
        dedupAcrossSources,
        listener: { onDetection: (d) => scenarios.push(d.scenario) },
      });
      // Four failures, each in both files: below auth-bf's five, unless counted twice.
      await processor.processBatch({ sourceId: 'mail.log', lines: fails(4) });
      await processor.processBatch({ sourceId: 'syslog', lines: fails(4) });
      return { scenarios, stats: processor.stats };
    };
    const once = await run(true);
    expect(once.stats).toMatchObject({ lines: 8, events: 4, duplicates: 4 });
    expect(once.scenarios).not.toContain('leuko/auth-bf');
    const twice = await run(false);
    expect(twice.stats).toMatchObject({ lines: 8, events: 8, duplicates: 0 });
    expect(twice.scenarios).toContain('leuko/auth-bf');
  });

  it('still knows a copy counted before a restart: the duplicate table is committed with the checkpoints', async () => {
    const store = createEphemeralStore();
    const line =
      'Dec  6 09:59:00 mx postfix/smtpd[810]: warning: unknown[203.0.113.93]: SASL LOGIN authentication failed: UGFzc3dvcmQ6';
    const common = { formatFor: () => 'syslog', store, persistEngineState: true, dedupAcrossSources: true } as const;
    const first = sshdPipeline(common).processor;
    await first.processBatch({ sourceId: 'mail.log', lines: [line], checkpoint: '100' });
    const saved = await store.loadState(DEDUP_STATE_KEY);
    expect(saved).toBeTypeOf('string');
    // Restarted before syslog read its copy: syslog resumes before it, mail.log after it.
    const second = sshdPipeline({ ...common, dedupState: saved! }).processor;
    await second.processBatch({ sourceId: 'syslog', lines: [line], checkpoint: '100' });
    expect(second.stats).toMatchObject({ lines: 1, events: 0, duplicates: 1 });
  });
});
