import type { BlastRadius, Decision } from '../../core/decision.js';
import type { ActionOutcome, Responder, ResponderContext, VerifyOutcome } from '../../core/responder.js';
import {
  type CommandResult,
  type CommandRunner,
  describeResult,
  runCommand,
  withTimeout,
} from '../../platform/exec/index.js';

export interface CommandResponderOptions {
  /** argv run for apply; no shell (use `['sh', '-c', '...']` explicitly if you want one). */
  readonly command: readonly string[];
  /** argv run for rollback; without it the action is not reversible. */
  readonly rollback?: readonly string[];
  /** argv whose exit 0 means "in force"; without it verify trusts the last apply. */
  readonly verify?: readonly string[];
  /** Decision actions it carries out (default `['command']`). */
  readonly actions?: readonly string[];
  /** Per command run (default 30 000 ms); past it the whole process group is killed. */
  readonly timeoutMs?: number;
  /** Extra environment variables; the child gets only these, PATH and the LEUKO_* ones. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Impact class shown in plans; the operator knows what the command does (default medium). */
  readonly blastRadius?: BlastRadius;
  readonly type?: string;
  readonly run?: CommandRunner;
}

type Phase = 'apply' | 'rollback' | 'verify';

/** sysexits EX_TEMPFAIL: the command's way to say "try again later". */
const EX_TEMPFAIL = 75;
const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Run an operator's program for a decision. It receives the decision as JSON on stdin and in
 * LEUKO_DECISION_* variables; exit 0 means done, 75 means retry later, anything else failed.
 * Values come from attacker-influenced logs: the program gets them as data (stdin, env), never
 * spliced into a command line, and should quote "$LEUKO_DECISION_VALUE" if it uses a shell.
 * The command should be idempotent: Leuko re-runs it when verify says it is not in force.
 *
 * @example
 * createCommandResponder({ command: ['/usr/local/bin/block-at-edge'], rollback: ['/usr/local/bin/unblock-at-edge'] })
 */
export function createCommandResponder(opts: CommandResponderOptions): Responder {
  const run = opts.run ?? runCommand;
  const type = opts.type ?? 'command';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  /** Last apply result per decision, used by verify when no verify command is configured. */
  const lastApply = new Map<string, boolean>();

  const exec = (argv: readonly string[], d: Decision, phase: Phase, signal: AbortSignal): Promise<CommandResult> =>
    run(argv, {
      input: `${JSON.stringify({ version: 1, event: phase, decision: d })}\n`,
      timeoutMs,
      signal,
      env: {
        PATH: process.env.PATH ?? SAFE_PATH,
        ...opts.env,
        LEUKO_EVENT: phase,
        LEUKO_DECISION_ID: d.id,
        LEUKO_DECISION_ACTION: d.action,
        LEUKO_DECISION_SCOPE: d.scope,
        LEUKO_DECISION_VALUE: d.value,
        LEUKO_DECISION_DURATION_S: String(d.durationS),
        LEUKO_DECISION_EXPIRES_AT: String(d.expiresAt),
      },
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    });

  const toOutcome = (r: CommandResult): ActionOutcome => {
    if (r.code === 0) {
      const line = r.stdout.trim().split('\n', 1)[0]?.slice(0, 300);
      return line ? { kind: 'applied', detail: line } : { kind: 'applied' };
    }
    const retryable = r.timedOut || r.aborted || r.signal !== null || r.code === EX_TEMPFAIL;
    return { kind: 'failed', error: describeResult(r), retryable };
  };

  async function verifyOne(d: Decision, signal: AbortSignal): Promise<VerifyOutcome> {
    if (opts.verify) {
      const r = await exec(opts.verify, d, 'verify', signal);
      return r.code === 0
        ? { inForce: true, detail: 'verify command exited 0' }
        : { inForce: false, reason: describeResult(r) };
    }
    const last = lastApply.get(d.id);
    if (last === undefined) return { inForce: false, reason: 'not applied by this Leuko process' };
    return last ? { inForce: true, detail: 'last run exited 0' } : { inForce: false, reason: 'last run failed' };
  }

  async function applyOne(d: Decision, signal: AbortSignal): Promise<ActionOutcome> {
    // With a verify command, an already-enforced decision is not run again (idempotent apply).
    if (opts.verify && (await verifyOne(d, signal)).inForce) return { kind: 'applied', detail: 'already in force' };
    if (!opts.verify && lastApply.get(d.id)) return { kind: 'applied', detail: 'already applied' };
    const outcome = toOutcome(await exec(opts.command, d, 'apply', signal));
    lastApply.set(d.id, outcome.kind === 'applied');
    return outcome;
  }

  async function rollbackOne(d: Decision, signal: AbortSignal): Promise<ActionOutcome> {
    if (!opts.rollback) return { kind: 'skipped', reason: 'no rollback command is configured' };
    const outcome = toOutcome(await exec(opts.rollback, d, 'rollback', signal));
    if (outcome.kind === 'applied') lastApply.delete(d.id);
    return outcome;
  }

  const batch = async (
    decisions: readonly Decision[],
    ctx: ResponderContext,
    one: (d: Decision, signal: AbortSignal) => Promise<ActionOutcome>,
  ) => {
    const signal = withTimeout(ctx.signal, ctx.timeoutMs);
    const out = new Map<string, ActionOutcome>();
    // One at a time: an operator's script is rarely written to run concurrently with itself.
    for (const d of decisions) {
      const o = signal.aborted
        ? { kind: 'failed' as const, error: 'timed out or aborted', retryable: true }
        : await one(d, signal);
      if (o.kind === 'failed') ctx.log('warn', `command for ${d.action} ${d.value}: ${o.error}`, { decision: d.id });
      out.set(d.id, o);
    }
    return out;
  };

  return {
    type,
    actions: opts.actions ?? ['command'],
    plan(d) {
      const steps = [
        `run ${opts.command.join(' ')} with the decision as JSON on stdin (LEUKO_DECISION_VALUE=${d.value})`,
      ];
      if (opts.rollback) steps.push(`rollback: run ${opts.rollback.join(' ')}`);
      return {
        decisionId: d.id,
        responder: type,
        summary: `run ${opts.command[0] ?? '(empty)'} for ${d.action} ${d.scope} ${d.value}`,
        steps,
        blastRadius: opts.blastRadius ?? 'medium',
        reversible: opts.rollback !== undefined,
      };
    },
    apply: (decisions, ctx) => batch(decisions, ctx, applyOne),
    verify: (d, ctx) => verifyOne(d, withTimeout(ctx.signal, ctx.timeoutMs)),
    rollback: (decisions, ctx) => batch(decisions, ctx, rollbackOne),
  };
}
