import type { Command } from 'commander';
import { parseDurationS } from '../../core/duration.js';
import { healDir } from '../../healing/heal-dirs.js';
import { activeWindow, readWindows, writeWindows } from '../../healing/maintenance.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { fail, iso, printJson, printTable } from '../output.js';
import { operatorName } from './approvals.js';
import { auditOperator } from './heal-common.js';

/** `leuko maintenance start --for 30m | stop | list`: windows in which changes are accepted, not reverted. */
export function registerMaintenance(program: Command): void {
  const m = program
    .command('maintenance')
    .description('maintenance windows: changes made inside one are accepted into the baseline');
  m.command('start')
    .description('open a window now')
    .requiredOption('--for <duration>', 'how long, e.g. 30m')
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (opts: { for: string; reason?: string }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const seconds = parseDurationS(opts.for);
      if (seconds === undefined || seconds <= 0) return fail(`invalid duration ${opts.for}; write e.g. 30m or 2h`, 2);
      const now = Date.now();
      const dir = healDir(runtime.storeDir);
      const w = {
        start: now,
        end: now + seconds * 1000,
        by: operatorName(),
        ...(opts.reason ? { reason: opts.reason } : {}),
      };
      await writeWindows(dir, [...readWindows(dir), w], now);
      await auditOperator(runtime, [
        { action: 'heal.maintenance.started', subject: 'maintenance', actor: w.by, data: w },
      ]);
      process.stdout.write(
        `maintenance window open until ${iso(w.end)}: changes to protected paths are accepted, not reverted\n`,
      );
    });
  m.command('stop')
    .description('close the open window now')
    .action(async (_opts: unknown, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const dir = healDir(runtime.storeDir);
      const now = Date.now();
      const windows = readWindows(dir);
      if (!activeWindow(windows, now)) return fail('no maintenance window is open');
      await writeWindows(
        dir,
        windows.map((w) => (w.start <= now && now < w.end ? { ...w, end: now } : w)),
        now,
      );
      await auditOperator(runtime, [
        { action: 'heal.maintenance.stopped', subject: 'maintenance', actor: operatorName(), data: { at: now } },
      ]);
      process.stdout.write('maintenance window closed\n');
    });
  m.command('list')
    .description('recent windows')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const windows = readWindows(healDir(runtime.storeDir));
      if (opts.json) return printJson(windows);
      const now = Date.now();
      printTable(
        ['start', 'end', 'by', 'open', 'reason'],
        windows.map((w) => [
          iso(w.start),
          iso(w.end),
          w.by,
          w.start <= now && now < w.end ? 'yes' : '',
          w.reason ?? '',
        ]),
      );
    });
}
