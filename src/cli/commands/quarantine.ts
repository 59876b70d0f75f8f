import type { Command } from 'commander';
import { atomicSymlink, atomicWriteFile } from '../../healing/atomic-write.js';
import { acceptPaths } from '../../healing/record.js';
import { promises as fs } from 'node:fs';
import { fail, iso, printJson, printTable } from '../output.js';
import { operatorName } from './approvals.js';
import { auditOperator, healRuntime } from './heal-common.js';

/** `leuko quarantine list | restore ID`: the evidence Leuko set aside, and undoing a restore. */
export function registerQuarantine(program: Command): void {
  const q = program.command('quarantine').description('files Leuko moved aside (tampered versions, unknown files)');
  q.command('list')
    .description('quarantined files with where they came from and why')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const h = healRuntime(cmd);
      if (!h) return;
      const list = await h.files.quarantine.list();
      if (opts.json) return printJson(list.map((r) => ({ ...r, content: h.files.quarantine.contentPath(r.id) })));
      printTable(
        ['id', 'at', 'path', 'type', 'size', 'restored', 'reason'],
        list.map((r) => [
          r.id,
          iso(r.at),
          r.path,
          r.entry.type,
          r.entry.size,
          r.restoredAt ? iso(r.restoredAt) : '',
          r.reason.slice(0, 80),
        ]),
      );
    });
  q.command('restore')
    .description('put a quarantined file back where it was and accept it as known-good (undo a restore)')
    .argument('<id>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const h = healRuntime(cmd);
      if (!h) return;
      const r = await h.files.quarantine.get(id);
      if (!r) return fail(`no quarantined file ${id}`);
      const src = h.files.quarantine.contentPath(id);
      const e = r.entry;
      if (e.type === 'file') {
        await atomicWriteFile(r.path, await fs.readFile(src), { mode: e.mode, uid: e.uid, gid: e.gid });
      } else if (e.type === 'symlink') {
        await atomicSymlink(r.path, await fs.readFile(src, 'utf8'), { uid: e.uid, gid: e.gid });
      } else if (e.type === 'dir') {
        await fs.cp(src, r.path, { recursive: true, preserveTimestamps: true });
      } else return fail(`cannot restore a ${e.type}`);
      // Accepted first: otherwise the daemon would see a drift and quarantine it again.
      await acceptPaths(h.files, [r.path]);
      await h.files.quarantine.markRestored(id, Date.now());
      await auditOperator(h.runtime, [
        { action: 'heal.quarantine.restored', subject: id, actor: operatorName(), data: { path: r.path, sha: e.sha } },
      ]);
      process.stdout.write(`restored ${r.path} from ${id} and accepted it into the baseline\n`);
    });
}
