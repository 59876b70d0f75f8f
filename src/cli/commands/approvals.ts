import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { createIdGenerator } from '../../core/ids.js';
import { openApprovals } from '../../enforcement/assemble.js';
import type { ApprovalAnswer } from '../../policy/approvals.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { fail, iso, printJson, printTable } from '../output.js';

/** Who answered, for the audit trail: `cli:USER`. */
export function operatorName(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

function withQueue<T>(cmd: Command, work: (queue: ReturnType<typeof openApprovals>['queue']) => T): T | undefined {
  const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
  if (!runtime) return undefined;
  const { queue, db } = openApprovals(runtime.storeDir, systemClock, createIdGenerator());
  try {
    return work(queue);
  } finally {
    db.close();
  }
}

function report(answer: ApprovalAnswer, json: boolean | undefined): void {
  if (json) printJson(answer);
  if (answer.kind === 'approved' || answer.kind === 'rejected') {
    if (!json)
      process.stdout.write(`${answer.approval.id} ${answer.kind}; the daemon carries it out on its next pass\n`);
    return;
  }
  if (!json) {
    const why =
      answer.kind === 'not-found'
        ? `no approval ${answer.id}`
        : answer.kind === 'expired'
          ? `${answer.approval.id} expired unanswered and counts as rejected`
          : `${answer.approval.id} was already ${answer.approval.status}`;
    fail(why);
  }
  process.exitCode = 1;
}

/** `leuko approvals`, `leuko approve ID`, `leuko reject ID`: the human in the loop. */
export function registerApprovals(program: Command): void {
  program
    .command('approvals')
    .description('high-impact or held-back decisions waiting for a person')
    .option('--all', 'include answered and expired approvals')
    .option('--json', 'print JSON')
    .action((opts: { all?: boolean; json?: boolean }, cmd: Command) => {
      const list = withQueue(cmd, (q) => q.list(opts.all ? undefined : 'pending', 500));
      if (!list) return;
      if (opts.json) return printJson(list);
      printTable(
        ['id', 'status', 'action', 'target', 'expires', 'why'],
        list.map((a) => [
          a.id,
          a.status,
          a.decision.action,
          `${a.decision.scope}:${a.decision.value}`,
          iso(a.expiresAt),
          a.reason,
        ]),
      );
    });

  program
    .command('approve')
    .description('approve a pending decision')
    .argument('<id>', 'approval id (see leuko approvals)')
    .option('--json', 'print JSON')
    .action((id: string, opts: { json?: boolean }, cmd: Command) => {
      const answer = withQueue(cmd, (q) => q.approve(id, operatorName()));
      if (answer) report(answer, opts.json);
    });

  program
    .command('reject')
    .description('reject a pending decision')
    .argument('<id>', 'approval id (see leuko approvals)')
    .option('--reason <text>', 'why, for the audit log')
    .option('--json', 'print JSON')
    .action((id: string, opts: { reason?: string; json?: boolean }, cmd: Command) => {
      const answer = withQueue(cmd, (q) => q.reject(id, operatorName(), opts.reason));
      if (answer) report(answer, opts.json);
    });
}
