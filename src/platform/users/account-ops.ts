import { existsSync } from 'node:fs';
import { type CommandRunner, describeResult, runCommand } from '../exec/index.js';
import type { ProcFs } from '../proc/index.js';

export type OpResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface SessionsEnded {
  /** Processes of the user found before the kill. */
  readonly found: readonly number[];
  /** Processes still alive (not zombies) after the kill. */
  readonly survivors: readonly number[];
  readonly loginctl: boolean;
}

/**
 * The commands that change accounts. Names are validated by the caller and passed as argv
 * after `--`, so a user name from a log line can never become an option or a shell word.
 */
export interface AccountOps {
  /** Lock the password (`usermod -L`) and expire the account (`chage -E 0`), which also blocks key logins. */
  lock(name: string, signal: AbortSignal): Promise<OpResult>;
  /** Undo `lock`: unlock the password unless it was locked before, restore the old expiry (-1 = never). */
  unlock(
    name: string,
    restore: { unlockPassword: boolean; expireDays: number },
    signal: AbortSignal,
  ): Promise<OpResult>;
  /** SIGKILL every process whose real or effective uid is the user's, and end its logind sessions. */
  endSessions(name: string, uid: number, signal: AbortSignal): Promise<SessionsEnded>;
  /** Pids of live processes whose real or effective uid is `uid`. */
  processesOf(uid: number): Promise<number[]>;
}

const STEP_TIMEOUT_MS = 10_000;
/** Bound on kill passes: a user's fork loop can create processes between listing and killing. */
const KILL_PASSES = 3;

export function createAccountOps(deps: {
  proc: ProcFs;
  run?: CommandRunner;
  /** Present when systemd is PID 1 (sd_booted): then logind sessions exist to terminate. */
  systemdMarker?: string;
}): AccountOps {
  const run = deps.run ?? runCommand;
  const marker = deps.systemdMarker ?? '/run/systemd/system';
  const exec = async (argv: string[], signal: AbortSignal): Promise<OpResult> => {
    const r = await run(argv, { timeoutMs: STEP_TIMEOUT_MS, signal });
    return r.code === 0 ? { ok: true } : { ok: false, error: `${argv[0]}: ${describeResult(r)}` };
  };

  const processesOf = async (uid: number) => {
    const out: number[] = [];
    for (const st of await deps.proc.listStats()) {
      if (st.state === 'Z' || st.state === 'X') continue;
      const info = await deps.proc.readProcess(st.pid);
      if (info && !info.kernelThread && (info.uid === uid || info.euid === uid)) out.push(st.pid);
    }
    return out;
  };

  return {
    processesOf,

    async lock(name, signal) {
      const a = await exec(['usermod', '-L', '--', name], signal);
      if (!a.ok) return a;
      return exec(['chage', '-E', '0', '--', name], signal);
    },

    async unlock(name, restore, signal) {
      if (restore.unlockPassword) {
        const a = await exec(['usermod', '-U', '--', name], signal);
        if (!a.ok) return a;
      }
      return exec(['chage', '-E', String(restore.expireDays), '--', name], signal);
    },

    async endSessions(name, uid, signal) {
      const found = await processesOf(uid);
      let survivors = found;
      let loginctl = false;
      if (existsSync(marker)) {
        loginctl = (await exec(['loginctl', 'terminate-user', '--', name], signal)).ok;
      }
      for (let pass = 0; pass < KILL_PASSES && survivors.length > 0 && !signal.aborted; pass++) {
        // -u matches the effective uid, -U the real one: a user's setuid helper (su, sudo)
        // keeps the real uid and a dropped-privilege child keeps the effective one.
        await exec(['pkill', '-KILL', '-u', String(uid)], signal);
        await exec(['pkill', '-KILL', '-U', String(uid)], signal);
        await new Promise((r) => setTimeout(r, 50));
        survivors = await processesOf(uid);
        // Without pkill (minimal images), or for a process it raced with, signal directly.
        for (const pid of survivors) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Exited meanwhile.
          }
        }
        if (survivors.length > 0) {
          await new Promise((r) => setTimeout(r, 50));
          survivors = await processesOf(uid);
        }
      }
      return { found, survivors, loginctl };
    },
  };
}
