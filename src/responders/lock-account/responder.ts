import type { Decision } from '../../core/decision.js';
import type { ActionOutcome, Responder, ResponderContext, VerifyOutcome } from '../../core/responder.js';
import { type CommandRunner, withTimeout } from '../../platform/exec/index.js';
import { createProcFs, type ProcFs } from '../../platform/proc/index.js';
import {
  type AccountOps,
  createAccountOps,
  createUserDb,
  isValidUserName,
  type UserDb,
  type UserEntry,
} from '../../platform/users/index.js';
import { createPriorStore } from './prior-state.js';

export interface LockAccountResponderOptions {
  /** Administrators (names or uids) never locked. root and every uid 0 account always are. */
  readonly protectedUsers?: readonly (string | number)[];
  /**
   * Accounts below this uid are system accounts (www-data, postgres): locking one and killing
   * its processes takes a service down, so they are refused unless this is lowered. Default 1000.
   */
  readonly minUid?: number;
  /** Kill the user's processes and end its logind sessions after locking (default true). */
  readonly endSessions?: boolean;
  /** File keeping each account's state before the lock, so rollback survives a restart. */
  readonly stateFile?: string;
  readonly type?: string;
  readonly users?: UserDb;
  readonly proc?: ProcFs;
  readonly run?: CommandRunner;
  readonly ops?: AccountOps;
}

const DAY_MS = 86_400_000;

/**
 * Lock a local account (scope `user`): lock the password, expire the account (which also stops
 * key-based ssh logins, which a password lock alone does not), then end its sessions. High
 * blast radius: the policy engine keeps it behind approval.
 *
 * @example
 * const r = createLockAccountResponder({ protectedUsers: ['alice'], stateFile: '/var/lib/leuko/lock-account.json' });
 */
export function createLockAccountResponder(opts: LockAccountResponderOptions = {}): Responder {
  const users = opts.users ?? createUserDb();
  const proc = opts.proc ?? createProcFs();
  const ops = opts.ops ?? createAccountOps({ proc, ...(opts.run ? { run: opts.run } : {}) });
  const prior = createPriorStore(opts.stateFile);
  const minUid = opts.minUid ?? 1000;
  const endSessions = opts.endSessions ?? true;
  const type = opts.type ?? 'lock-account';
  const admins = new Set((opts.protectedUsers ?? []).map(String));

  /** The local account a decision names, or why it must not be touched. */
  async function resolve(d: Decision): Promise<UserEntry | ActionOutcome> {
    if (d.scope !== 'user') return { kind: 'failed', error: `scope ${d.scope} is not user`, retryable: false };
    if (!isValidUserName(d.value)) {
      return { kind: 'failed', error: `${JSON.stringify(d.value)} is not a valid user name`, retryable: false };
    }
    const u = await users.lookup(d.value);
    if (!u)
      return { kind: 'skipped', reason: `no local account ${d.value} (directory accounts cannot be locked here)` };
    if (u.uid === 0) return { kind: 'skipped', reason: `protected: ${u.name} has uid 0` };
    if (admins.has(u.name) || admins.has(String(u.uid))) {
      return { kind: 'skipped', reason: `protected: ${u.name} is a configured administrator` };
    }
    if (u.uid < minUid)
      return { kind: 'skipped', reason: `protected: ${u.name} is a system account (uid ${u.uid} < ${minUid})` };
    return u;
  }

  async function lockOne(d: Decision, signal: AbortSignal, ctx: ResponderContext): Promise<ActionOutcome> {
    const u = await resolve(d);
    if ('kind' in u) return u;
    const before = await users.shadow(u.name);
    if (!before) return { kind: 'failed', error: `no /etc/shadow entry for ${u.name}`, retryable: false };
    prior.remember(u.name, { passwordLocked: before.locked, expireDays: before.expireDays ?? -1 });
    const locked = await ops.lock(u.name, signal);
    if (!locked.ok) return { kind: 'failed', error: locked.error, retryable: true };
    if (!endSessions) return { kind: 'applied', detail: `locked and expired ${u.name}` };
    const ended = await ops.endSessions(u.name, u.uid, signal);
    const via = ended.loginctl ? ' (loginctl terminate-user, pkill)' : ' (pkill)';
    if (ended.survivors.length > 0) {
      ctx.log('warn', `lock-account ${u.name}: processes survived`, { pids: ended.survivors });
      return {
        kind: 'failed',
        error: `locked ${u.name} but processes ${ended.survivors.join(', ')} survived`,
        retryable: true,
      };
    }
    return { kind: 'applied', detail: `locked and expired ${u.name}; ended ${ended.found.length} processes${via}` };
  }

  async function unlockOne(d: Decision, signal: AbortSignal): Promise<ActionOutcome> {
    const u = await resolve(d);
    if ('kind' in u) return u;
    const now = await users.shadow(u.name);
    if (!now) return { kind: 'failed', error: `no /etc/shadow entry for ${u.name}`, retryable: false };
    const was = prior.get(u.name);
    if (!was && !now.locked && now.expireDays === undefined)
      return { kind: 'skipped', reason: `${u.name} is not locked` };
    // Without a record (state lost), the safe assumption is the usual one: unlocked, no expiry.
    const restore = { unlockPassword: was ? !was.passwordLocked : true, expireDays: was?.expireDays ?? -1 };
    const r = await ops.unlock(u.name, { ...restore, unlockPassword: restore.unlockPassword && now.locked }, signal);
    if (!r.ok) return { kind: 'failed', error: r.error, retryable: true };
    prior.forget(u.name);
    const kept = restore.unlockPassword ? '' : ' (its password was locked before Leuko, so it stays locked)';
    return { kind: 'applied', detail: `unlocked ${u.name}${kept}` };
  }

  const batch = async (
    decisions: readonly Decision[],
    ctx: ResponderContext,
    one: (d: Decision, signal: AbortSignal) => Promise<ActionOutcome>,
  ) => {
    const signal = withTimeout(ctx.signal, ctx.timeoutMs);
    const out = new Map<string, ActionOutcome>();
    // Sequential: usermod and chage take a lock on /etc/shadow and fail when run concurrently.
    for (const d of decisions) {
      if (signal.aborted) {
        out.set(d.id, { kind: 'failed', error: 'timed out or aborted', retryable: true });
        continue;
      }
      try {
        out.set(d.id, await one(d, signal));
      } catch (e) {
        out.set(d.id, { kind: 'failed', error: e instanceof Error ? e.message : String(e), retryable: true });
      }
    }
    return out;
  };

  return {
    type,
    actions: ['lock-account'],

    plan(d) {
      const name = d.value;
      const steps = [`usermod -L -- ${name}`, `chage -E 0 -- ${name}`];
      if (endSessions) {
        steps.push(`loginctl terminate-user -- ${name} (when systemd runs)`, `pkill -KILL -u/-U <uid of ${name}>`);
      }
      return {
        decisionId: d.id,
        responder: type,
        summary: `lock account ${name}${endSessions ? ' and end all its sessions and processes' : ''}`,
        steps,
        // Locking a person out and killing their work is never low impact.
        blastRadius: 'high',
        reversible: true,
      };
    },

    apply: (decisions, ctx) => batch(decisions, ctx, (d, signal) => lockOne(d, signal, ctx)),

    async verify(d, ctx): Promise<VerifyOutcome> {
      if (!isValidUserName(d.value))
        return { inForce: false, reason: `${JSON.stringify(d.value)} is not a valid user name` };
      const s = await users.shadow(d.value);
      if (!s) return { inForce: false, reason: `no /etc/shadow entry for ${d.value}` };
      if (!s.locked) return { inForce: false, reason: `the password of ${d.value} is not locked` };
      const today = Math.floor(ctx.clock.now() / DAY_MS);
      if (s.expireDays === undefined || s.expireDays > today) {
        return { inForce: false, reason: `${d.value} is not expired (key logins still work)` };
      }
      return { inForce: true, detail: `${d.value} is locked (!) and expired (day ${s.expireDays})` };
    },

    rollback: (decisions, ctx) => batch(decisions, ctx, unlockOne),
  };
}
