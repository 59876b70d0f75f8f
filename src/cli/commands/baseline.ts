import path from 'node:path';
import type { Command } from 'commander';
import { mutableCopy } from '../../core/mutable.js';
import { recordPosture } from '../../healing/posture.js';
import { acceptPaths, recordBaseline } from '../../healing/record.js';
import { fail, printJson } from '../output.js';
import { operatorName } from './approvals.js';
import { auditOperator, healRuntime } from './heal-common.js';

/** `leuko baseline` records known-good; `leuko baseline accept PATH...` approves a change. */
export function registerBaseline(program: Command): void {
  const baseline = program
    .command('baseline')
    .description('record every protected path as known-good (snapshots of content, mode, owner)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const h = healRuntime(cmd);
      if (!h) return;
      try {
        const report = await recordBaseline(h.files, Date.now());
        const protect = h.runtime.config.protect;
        if (protect?.posture.enabled) await recordPosture(h.files, mutableCopy(protect.posture));
        const size = await h.files.blobs.size();
        await auditOperator(h.runtime, [
          {
            action: 'heal.baseline',
            subject: 'baseline',
            actor: operatorName(),
            data: { ...report, storedBytes: size },
          },
        ]);
        if (opts.json) return printJson({ ...report, storedBytes: size });
        process.stdout.write(
          `baseline recorded: ${report.entries} entries (${report.files} files, ${report.bytes} bytes; ${size} bytes stored compressed and deduplicated)\n`,
        );
        for (const p of report.tooLarge)
          process.stdout.write(`  too large to snapshot (detected, not restorable): ${p}\n`);
      } catch (err) {
        fail((err as Error).message, 2);
      }
    });
  baseline
    .command('accept')
    .description('accept the current state of these paths as known-good (a deployment), so it is never reverted')
    .argument('<paths...>')
    .option('--json', 'print JSON')
    .action(async (paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const h = healRuntime(cmd);
      if (!h) return;
      const abs = paths.map((p) => path.resolve(p));
      const outside = abs.filter((p) => !h.files.state.rootOf(p));
      if (outside.length > 0) return fail(`not under a protected path: ${outside.join(', ')}`, 2);
      const done = await acceptPaths(h.files, abs);
      await auditOperator(h.runtime, [
        {
          action: 'heal.accepted',
          subject: 'baseline',
          actor: operatorName(),
          data: { paths: done.map((d) => ({ path: d.path, before: d.before?.sha, after: d.after?.sha })) },
        },
      ]);
      if (opts.json) return printJson(done);
      for (const d of done)
        process.stdout.write(`accepted ${d.path}${d.after ? '' : ' (removed from the baseline)'}\n`);
    });
}
