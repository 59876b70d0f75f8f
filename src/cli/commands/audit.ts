import type { Command } from 'commander';
import type { RuntimeOptions } from '../context.js';
import { openRuntimeStore } from '../runtime-store.js';
import { fail, iso, printJson, printTable } from '../output.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit
    .command('verify')
    .description('walk the hash chain; fails on any edited, reordered or deleted record')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const result = await store.verifyAudit();
        if (opts.json) printJson(result);
        if (result.ok) {
          if (!opts.json) process.stdout.write(`audit log intact: ${result.records} records, head ${result.head}\n`);
        } else {
          if (!opts.json)
            fail(`audit log broken at record ${result.brokenAt} (of ${result.records}): ${result.reason}`, 1);
          process.exitCode = 1;
        }
      } finally {
        await store.close();
      }
    });

  audit
    .command('list')
    .description('the latest audit records')
    .option('--kind <kind>', 'only this kind (detection, incident, decision, daemon, ...)')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { kind?: string; limit: string; json?: boolean }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const records = await store.listAudit({
          ...(opts.kind ? { kind: opts.kind } : {}),
          limit: Number(opts.limit) || 50,
        });
        if (opts.json) return printJson(records);
        printTable(
          ['seq', 'at', 'action', 'subject', 'actor'],
          records.map((r) => [r.seq, iso(r.at), r.action, r.subject, r.actor]),
        );
      } finally {
        await store.close();
      }
    });
}
