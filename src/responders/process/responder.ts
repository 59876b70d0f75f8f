import type { BlastRadius, Decision } from '../../core/decision.js';
import { formatDurationS } from '../../core/duration.js';
import type { ActionOutcome, ActionPlan, Responder, ResponderContext, VerifyOutcome } from '../../core/responder.js';
import { withTimeout } from '../../platform/exec/index.js';
import { createProcFs, type ProcFs } from '../../platform/proc/index.js';
import { createUserDb, type UserDb } from '../../platform/users/index.js';
import { type ProtectConfig, type ProtectionCheck, snapshotProtection } from './protection.js';
import { allGone, allStopped, type Pinned, signalPinned, waitUntil } from './signals.js';
import { parseProcessTarget } from './target.js';

export interface ProcessResponderOptions {
  /** Leuko's own pid: it and its ancestors are never touched. */
  readonly selfPid: number;
  readonly protect?: ProtectConfig;
  /** Ports whose listener is the ssh daemon (default [22]). */
  readonly sshPorts?: readonly number[];
  /** Time between SIGTERM and SIGKILL (default 5000 ms). */
  readonly killGraceMs?: number;
  /** Also act on the target's descendants, so a reverse shell's children go with it (default true). */
  readonly tree?: boolean;
  readonly type?: string;
  readonly proc?: ProcFs;
  readonly users?: UserDb;
}

const INTRINSIC: Record<string, BlastRadius> = { freeze: 'low', kill: 'medium' };
const RANK: Record<BlastRadius, number> = { low: 0, medium: 1, high: 2 };
/** Passes over the tree while stopping it: a process can fork between our listing and its SIGSTOP. */
const STOP_PASSES = 4;

/**
 * Kill (SIGTERM, SIGKILL after a grace period) or freeze (SIGSTOP; rollback SIGCONT) a
 * process named by a decision with scope `process` and value `PID` or `PID@STARTTIME`.
 *
 * @example
 * const r = createProcessResponder({ selfPid: process.pid, protect: { names: ['postgres'] } });
 * await r.apply([{ ...decision, scope: 'process', action: 'freeze', value: '4242@394717' }], ctx);
 */
export function createProcessResponder(opts: ProcessResponderOptions): Responder {
  const proc = opts.proc ?? createProcFs();
  const users = opts.users ?? createUserDb();
  const graceMs = opts.killGraceMs ?? 5000;
  const tree = opts.tree ?? true;
  const type = opts.type ?? 'process';
  /** What each decision stopped or killed, pinned, so verify and rollback act on exactly those. */
  const touched = new Map<string, Pinned[]>();

  const protection = () =>
    snapshotProtection({
      proc,
      users,
      selfPid: opts.selfPid,
      sshPorts: opts.sshPorts ?? [22],
      protect: opts.protect ?? {},
    });

  /** Resolve the decision to a live, unprotected process, or say why not. */
  async function resolve(d: Decision, check: ProtectionCheck): Promise<Pinned | ActionOutcome> {
    if (d.scope !== 'process') return { kind: 'failed', error: `scope ${d.scope} is not process`, retryable: false };
    const t = parseProcessTarget(d.value);
    if (!t)
      return {
        kind: 'failed',
        error: `value ${JSON.stringify(d.value)} is not PID or PID@STARTTIME`,
        retryable: false,
      };
    const info = await proc.readProcess(t.pid);
    if (!info || info.state === 'Z' || info.state === 'X')
      return { kind: 'skipped', reason: `process ${t.pid} is not running` };
    if (t.startTicks !== undefined && info.startTicks !== t.startTicks) {
      return {
        kind: 'skipped',
        reason: `pid ${t.pid} was reused (start time ${info.startTicks}, decision names ${t.startTicks})`,
      };
    }
    const why = await check(info);
    if (why) return { kind: 'skipped', reason: `protected: ${why}` };
    return { pid: info.pid, startTicks: info.startTicks };
  }

  /**
   * SIGSTOP the target, then its descendants, repeating until no new ones appear, so nothing
   * in the tree can fork or act while we decide. Protected descendants are left running.
   */
  async function stopTree(root: Pinned, check: ProtectionCheck, spared: string[]): Promise<Pinned[]> {
    const done = new Map<number, Pinned>();
    if ((await signalPinned(proc, root, 'SIGSTOP')) === 'sent') done.set(root.pid, root);
    if (!tree) return [...done.values()];
    for (let pass = 0; pass < STOP_PASSES; pass++) {
      let fresh = 0;
      for (const pid of await proc.descendants(root.pid)) {
        if (done.has(pid)) continue;
        const info = await proc.readProcess(pid);
        if (!info || info.state === 'Z') continue;
        const why = await check(info);
        if (why) {
          if (!spared.includes(why)) spared.push(why);
          continue;
        }
        const p = { pid, startTicks: info.startTicks };
        if ((await signalPinned(proc, p, 'SIGSTOP')) === 'sent') {
          done.set(pid, p);
          fresh++;
        }
      }
      if (fresh === 0) break;
    }
    return [...done.values()];
  }

  async function freeze(
    d: Decision,
    root: Pinned,
    check: ProtectionCheck,
    signal: AbortSignal,
  ): Promise<ActionOutcome> {
    const spared: string[] = [];
    const stopped = await stopTree(root, check, spared);
    if (stopped.length === 0)
      return { kind: 'skipped', reason: `process ${root.pid} exited before it could be stopped` };
    touched.set(d.id, stopped);
    const ok = await waitUntil(() => allStopped(proc, stopped), 2000, signal);
    if (!ok) return { kind: 'failed', error: `process ${root.pid} did not enter the stopped state`, retryable: true };
    return { kind: 'applied', detail: describe('stopped', stopped, spared) };
  }

  async function kill(d: Decision, root: Pinned, check: ProtectionCheck, signal: AbortSignal): Promise<ActionOutcome> {
    const spared: string[] = [];
    // Stop first so the tree cannot fork replacements between the listing and the signals.
    const victims = await stopTree(root, check, spared);
    if (victims.length === 0)
      return { kind: 'skipped', reason: `process ${root.pid} exited before it could be killed` };
    touched.set(d.id, victims);
    for (const p of victims) await signalPinned(proc, p, 'SIGTERM');
    // A stopped process only acts on SIGTERM once continued.
    for (const p of victims) await signalPinned(proc, p, 'SIGCONT');
    if (await waitUntil(() => allGone(proc, victims), graceMs, signal)) {
      return { kind: 'applied', detail: describe('terminated (SIGTERM)', victims, spared) };
    }
    for (const p of victims) await signalPinned(proc, p, 'SIGKILL');
    // SIGKILL cannot be caught; the wait only covers the kernel tearing the process down.
    if (await waitUntil(() => allGone(proc, victims), 2000, AbortSignal.timeout(2500))) {
      return { kind: 'applied', detail: describe(`killed (SIGKILL after ${graceMs} ms grace)`, victims, spared) };
    }
    return { kind: 'failed', error: `process ${root.pid} survived SIGKILL (uninterruptible sleep?)`, retryable: true };
  }

  async function batch(
    decisions: readonly Decision[],
    ctx: ResponderContext,
    one: (d: Decision, signal: AbortSignal) => Promise<ActionOutcome>,
  ): Promise<Map<string, ActionOutcome>> {
    const signal = withTimeout(ctx.signal, ctx.timeoutMs);
    const out = new Map<string, ActionOutcome>();
    await Promise.all(
      decisions.map(async (d) => {
        try {
          out.set(
            d.id,
            signal.aborted ? { kind: 'failed', error: 'timed out or aborted', retryable: true } : await one(d, signal),
          );
        } catch (e) {
          out.set(d.id, { kind: 'failed', error: e instanceof Error ? e.message : String(e), retryable: true });
        }
      }),
    );
    return out;
  }

  return {
    type,
    actions: ['kill', 'freeze'],

    plan(d) {
      const t = parseProcessTarget(d.value);
      const who = t ? `process ${t.pid}${t.startTicks !== undefined ? ` (start time ${t.startTicks})` : ''}` : d.value;
      const scope = tree ? `${who} and its descendants` : who;
      const steps =
        d.action === 'freeze'
          ? [`check ${who} is running and not protected`, `SIGSTOP ${scope}`, 'verify state T (stopped)']
          : [
              `check ${who} is running and not protected`,
              `SIGSTOP ${scope}`,
              `SIGTERM then SIGCONT ${scope}`,
              `SIGKILL what is still alive after ${graceMs % 1000 === 0 ? formatDurationS(graceMs / 1000) : `${graceMs} ms`}`,
            ];
      const intrinsic = INTRINSIC[d.action] ?? 'medium';
      return {
        decisionId: d.id,
        responder: type,
        summary: d.action === 'freeze' ? `freeze ${scope} (SIGSTOP)` : `kill ${scope} (SIGTERM, then SIGKILL)`,
        steps,
        blastRadius: RANK[d.blastRadius] > RANK[intrinsic] ? d.blastRadius : intrinsic,
        reversible: d.action === 'freeze',
      } satisfies ActionPlan;
    },

    async apply(decisions, ctx) {
      const check = await protection();
      return batch(decisions, ctx, async (d, signal) => {
        if (d.action !== 'kill' && d.action !== 'freeze') {
          return { kind: 'failed', error: `action ${d.action} is not kill or freeze`, retryable: false };
        }
        const target = await resolve(d, check);
        if ('kind' in target) return target;
        const outcome = await (d.action === 'kill' ? kill : freeze)(d, target, check, signal);
        if (outcome.kind !== 'applied')
          ctx.log('warn', `${d.action} ${d.value}: ${outcomeText(outcome)}`, { decision: d.id });
        return outcome;
      });
    },

    async verify(d): Promise<VerifyOutcome> {
      const t = parseProcessTarget(d.value);
      if (!t) return { inForce: false, reason: `value ${JSON.stringify(d.value)} is not PID or PID@STARTTIME` };
      const pinned = touched.get(d.id);
      const root = pinned?.find((p) => p.pid === t.pid);
      const startTicks = t.startTicks ?? root?.startTicks;
      if (d.action === 'kill') {
        return (await proc.isGone(t.pid, startTicks))
          ? { inForce: true, detail: `process ${t.pid} is gone` }
          : { inForce: false, reason: `process ${t.pid} is still running` };
      }
      if (await proc.isGone(t.pid, startTicks)) return { inForce: false, reason: `process ${t.pid} is not running` };
      if (!(await proc.isStopped(t.pid))) return { inForce: false, reason: `process ${t.pid} is not stopped` };
      const list = pinned ?? [];
      return (await allStopped(proc, list))
        ? { inForce: true, detail: `process ${t.pid} is stopped (state T)` }
        : { inForce: false, reason: `a descendant of process ${t.pid} is running again` };
    },

    async rollback(decisions, ctx) {
      return batch(decisions, ctx, async (d) => {
        if (d.action === 'kill') return { kind: 'skipped', reason: 'a killed process cannot be brought back' };
        const t = parseProcessTarget(d.value);
        if (!t)
          return {
            kind: 'failed',
            error: `value ${JSON.stringify(d.value)} is not PID or PID@STARTTIME`,
            retryable: false,
          };
        let list = touched.get(d.id);
        if (!list) {
          // After a restart the record is gone: thaw the target and its stopped descendants.
          const info = await proc.readProcess(t.pid);
          if (!info || (t.startTicks !== undefined && info.startTicks !== t.startTicks)) {
            return { kind: 'skipped', reason: `process ${t.pid} is not running` };
          }
          list = [{ pid: t.pid, startTicks: info.startTicks }];
          for (const pid of tree ? await proc.descendants(t.pid) : []) {
            const s = await proc.readStat(pid);
            if (s && (s.state === 'T' || s.state === 't')) list.push({ pid, startTicks: s.startTicks });
          }
        }
        let resumed = 0;
        // Parent first is not needed for SIGCONT; every stopped member simply resumes.
        for (const p of list) if ((await signalPinned(proc, p, 'SIGCONT')) === 'sent') resumed++;
        touched.delete(d.id);
        return resumed === 0
          ? { kind: 'skipped', reason: `process ${t.pid} is not running` }
          : { kind: 'applied', detail: `resumed ${resumed} process${resumed === 1 ? '' : 'es'} (SIGCONT)` };
      });
    },
  };
}

function describe(verb: string, list: readonly Pinned[], spared: readonly string[]): string {
  const pids = list.map((p) => p.pid).join(', ');
  const base = `${verb} ${list.length} process${list.length === 1 ? '' : 'es'}: ${pids}`;
  return spared.length > 0 ? `${base}; spared ${spared.join('; ')}` : base;
}

function outcomeText(o: ActionOutcome): string {
  return o.kind === 'skipped' ? `skipped: ${o.reason}` : o.kind === 'failed' ? `failed: ${o.error}` : 'applied';
}
