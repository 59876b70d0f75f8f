import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { emptyPipelineStats, type PipelineStats } from '../../pipeline/pipeline-stats.js';
import { ENFORCER_STATUS_KEY, type EnforcerStatus } from '../../enforcement/enforcer.js';
import { COUNTERS_STATE_KEY } from '../../pipeline/processor.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openRuntimeStore } from '../runtime-store.js';
import { iso, printJson } from '../output.js';

/** `leuko status`: mode, counters the daemon committed, live decisions and open incidents. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('what the daemon has read, decided and holds open')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals() as RuntimeOptions;
      const runtime = loadRuntime(global);
      if (!runtime) return;
      const store = await openRuntimeStore(global);
      if (!store) return;
      try {
        const raw = await store.loadState(COUNTERS_STATE_KEY);
        const counters: PipelineStats = raw
          ? { ...emptyPipelineStats(), ...(JSON.parse(raw) as object) }
          : emptyPipelineStats();
        const now = systemClock.now();
        const active = await store.listDecisions({ activeAt: now, limit: 100_000 });
        const open = await store.listIncidents({ status: ['open', 'contained'], limit: 100_000 });
        const audit = await store.verifyAudit();
        const enforcerRaw = await store.loadState(ENFORCER_STATUS_KEY);
        const enforcement = enforcerRaw ? (JSON.parse(enforcerRaw) as EnforcerStatus) : null;
        const status = {
          mode: runtime.settings.decisions.mode,
          store: runtime.storeDir,
          counters,
          last_event: counters.lastEventTime ? new Date(counters.lastEventTime).toISOString() : null,
          active_decisions: active.length,
          open_incidents: open.length,
          breaker: enforcement?.policy.breaker ?? null,
          drift: enforcement?.drift ?? null,
          pending_approvals: enforcement?.pendingApprovals ?? null,
          audit: audit.ok
            ? { ok: true, records: audit.records }
            : { ok: false, broken_at: audit.brokenAt, reason: audit.reason },
        };
        if (opts.json) return printJson(status);
        process.stdout.write(
          [
            `mode:             ${status.mode}`,
            `store:            ${status.store}`,
            `lines read:       ${counters.lines} (${counters.events} events, ${counters.unparsed} unparsed${counters.duplicates ? `, ${counters.duplicates} copies from another source skipped` : ''}${counters.untrustedRecordLines ? `, ${counters.untrustedRecordLines} lines of split or cut records skipped` : ''})`,
            `last event:       ${iso(counters.lastEventTime)}`,
            `detections:       ${counters.detections}`,
            `active decisions: ${status.active_decisions}`,
            `open incidents:   ${status.open_incidents}`,
            `breaker:          ${enforcement ? `${enforcement.policy.breaker.state}${enforcement.policy.breaker.reason ? ` (${enforcement.policy.breaker.reason})` : ''}` : '-'}`,
            `drift repaired:   ${enforcement ? `${enforcement.drift.total} (last pass ${enforcement.drift.lastPass})` : '-'}`,
            `approvals queued: ${enforcement ? enforcement.pendingApprovals : '-'}`,
            `audit log:        ${audit.ok ? `intact (${audit.records} records)` : `BROKEN at ${audit.brokenAt}: ${audit.reason}`}`,
          ].join('\n') + '\n',
        );
      } finally {
        await store.close();
      }
    });
}
