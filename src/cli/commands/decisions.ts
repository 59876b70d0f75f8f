import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { formatDurationS } from '../../core/duration.js';
import { openRuntimeStore, type RuntimeOptions } from '../context.js';
import { iso, printJson, printTable } from '../output.js';

export function registerDecisions(program: Command): void {
  program
    .command('decisions')
    .description('list decisions (by default those still in force)')
    .option('--all', 'include expired, rejected and rolled back decisions')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', '200')
    .action(async (opts: { all?: boolean; json?: boolean; limit: string }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const decisions = await store.listDecisions({
          ...(opts.all ? {} : { activeAt: systemClock.now() }),
          limit: Number(opts.limit) || 200,
        });
        if (opts.json) return printJson(decisions);
        printTable(
          ['id', 'action', 'target', 'status', 'duration', 'expires', 'origin', 'reason'],
          decisions.map((d) => [
            d.id,
            d.action,
            `${d.scope}:${d.value}`,
            d.status,
            formatDurationS(d.durationS),
            iso(d.expiresAt),
            d.scenario ?? d.origin,
            d.reason,
          ]),
        );
      } finally {
        await store.close();
      }
    });
}
