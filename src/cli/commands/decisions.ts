import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import type { AuditInput } from '../../core/audit.js';
import type { Decision } from '../../core/decision.js';
import { formatDurationS, parseDurationS } from '../../core/duration.js';
import { createIdGenerator } from '../../core/ids.js';
import { proposeManualDecision } from '../../decisions/manual-decision.js';
import { transition } from '../../enforcement/transitions.js';
import { blastRadiusOf } from '../../policy/actions.js';
import { createAllowlist, parseCidr } from '../../policy/allowlist.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openRuntimeStore } from '../runtime-store.js';
import { fail, iso, printJson, printTable } from '../output.js';
import { operatorName } from './approvals.js';

/** Actions an operator can request with `decisions add`. */
const ADD_ACTIONS = ['ban', 'isolate-host'] as const;

interface AddOptions {
  action: string;
  ip?: string;
  range?: string;
  host?: string;
  duration: string;
  reason: string;
  json?: boolean;
}

/** What `decisions add` was asked to act on, or why the options do not say. */
function addTarget(
  opts: AddOptions,
): { action: Decision['action']; scope: 'ip' | 'range' | 'host'; value: string } | string {
  if (opts.action === 'isolate-host') {
    if (opts.ip !== undefined || opts.range !== undefined)
      return '--action isolate-host takes --host NAME, not --ip or --range';
    // A host name as hostname(1) prints it (letters, digits, dots, hyphens), or `self`.
    if (!opts.host || !/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/.test(opts.host))
      return 'give --host NAME (this host’s name, or self) with --action isolate-host';
    return { action: 'isolate-host', scope: 'host', value: opts.host };
  }
  if (opts.action !== 'ban') return `unknown action ${JSON.stringify(opts.action)}: use ${ADD_ACTIONS.join(' or ')}`;
  if (opts.host !== undefined) return '--host goes with --action isolate-host; a ban takes --ip or --range';
  const target = opts.ip ?? opts.range;
  if (!target || (opts.ip && opts.range)) return 'give exactly one of --ip ADDRESS or --range CIDR';
  if (!parseCidr(target) || (opts.ip && target.includes('/')))
    return `not an ${opts.ip ? 'address' : 'address range'}: ${target}`;
  return { action: 'ban', scope: opts.ip ? 'ip' : 'range', value: target };
}

/** `leuko decisions [list|add|delete]`. */
export function registerDecisions(program: Command): void {
  const decisions = program.command('decisions').description('list, add and delete decisions');

  decisions
    .command('list', { isDefault: true })
    .description('decisions still in force (default), or all of them')
    .option('--all', 'include expired, rejected and rolled back decisions')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', '200')
    .action(async (opts: { all?: boolean; json?: boolean; limit: string }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const list = await store.listDecisions({
          ...(opts.all ? {} : { activeAt: systemClock.now() }),
          limit: Number(opts.limit) || 200,
        });
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'action', 'target', 'status', 'duration', 'expires', 'origin', 'reason'],
          list.map((d) => [
            d.id,
            d.action,
            `${d.scope}:${d.value}`,
            d.status,
            formatDurationS(d.durationS),
            iso(d.expiresAt),
            d.scenario ?? d.origin,
            d.statusReason ?? d.reason,
          ]),
        );
      } finally {
        await store.close();
      }
    });

  decisions
    .command('add')
    .description(
      'ban an address or range, or ask to isolate a host, by hand (the running daemon applies it; the allowlist still wins, and high-impact actions wait for `leuko approve`)',
    )
    .option('--action <action>', `what to do: ${ADD_ACTIONS.join(' or ')}`, 'ban')
    .option('--ip <address>', 'address to ban')
    .option('--range <cidr>', 'range to ban')
    .option('--host <name>', 'host to isolate (--action isolate-host): this host’s name, or self')
    .option('--duration <d>', 'how long, e.g. 4h, 30m, 2d', '4h')
    .option('--reason <text>', 'why, for the audit log', 'added by an operator')
    .option('--json', 'print JSON')
    .action(async (opts: AddOptions, cmd: Command) => {
      const target = addTarget(opts);
      if (typeof target === 'string') return fail(target, 2);
      const durationS = parseDurationS(opts.duration);
      if (durationS === undefined || durationS <= 0)
        return fail(`not a duration: ${opts.duration} (try 30m, 4h, 2d)`, 2);
      const global = cmd.optsWithGlobals() as RuntimeOptions;
      const runtime = loadRuntime(global);
      if (!runtime) return;
      if (target.scope === 'ip' || target.scope === 'range') {
        const entry = createAllowlist(runtime.settings.allowlist).match(target.value);
        if (entry !== undefined)
          return fail(`refused: ${target.value} is allowlisted (${entry}); nothing overrides the allowlist`, 1);
      }
      const store = await openRuntimeStore(global);
      if (!store) return;
      try {
        const decision = await proposeManualDecision(
          { store, clock: systemClock, ids: createIdGenerator() },
          {
            scope: target.scope,
            value: target.value,
            action: target.action,
            durationS,
            reason: opts.reason,
            origin: 'cli',
            actor: operatorName(),
          },
        );
        if (opts.json) return printJson(decision);
        // The same test the policy makes: say up front that this one will wait for a person.
        const waits =
          blastRadiusOf(decision) === 'high' &&
          !(runtime.config.policy.allow_high_impact ?? []).includes(decision.action);
        process.stdout.write(
          `${decision.id}: ${decision.action} ${target.scope}:${target.value} for ${formatDurationS(durationS)} ` +
            `(${waits ? 'high impact: it waits for approval, see leuko approvals and leuko approve ID' : 'the daemon applies it'})\n`,
        );
      } finally {
        await store.close();
      }
    });

  decisions
    .command('delete')
    .description(
      'lift decisions (by id, or every live one for an address); the daemon removes them within a reconcile period',
    )
    .argument('[id]', 'decision id')
    .option('--ip <value>', 'every live decision for this address or range')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { ip?: string; json?: boolean }, cmd: Command) => {
      if (!id && !opts.ip) return fail('give a decision id or --ip ADDRESS', 2);
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const now = systemClock.now();
        const targets = id
          ? [await store.getDecision(id)].filter((d): d is Decision => d !== undefined)
          : await store.listDecisions({ value: opts.ip as string, activeAt: now, limit: 1000 });
        if (targets.length === 0) return fail(id ? `no decision ${id}` : `no live decision for ${opts.ip}`);
        const audit: AuditInput[] = [];
        const actor = operatorName();
        const changed: Decision[] = [];
        for (const d of targets) {
          const to = d.status === 'proposed' ? 'rejected' : 'rolled_back';
          const next = transition(d, to, { actor, reason: `deleted by ${actor}`, at: now }, audit);
          if (next) changed.push(next);
        }
        await store.commit({ decisions: changed, audit });
        if (opts.json) return printJson(changed);
        for (const d of changed) process.stdout.write(`${d.id}: ${d.action} ${d.scope}:${d.value} -> ${d.status}\n`);
        if (changed.length === 0) fail('nothing to delete: those decisions are already over');
      } finally {
        await store.close();
      }
    });
}
