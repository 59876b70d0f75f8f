import { execFileSync } from 'node:child_process';
import { run } from './proc.js';

/** argv prefix that runs a command inside a network namespace. */
export function inNs(ns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv];
}

export async function listNamespaces(): Promise<string[]> {
  const r = await run(['ip', '-j', 'netns', 'list'], { timeoutMs: 10_000 });
  if (r.code !== 0 || r.stdout.trim() === '') return [];
  const parsed = JSON.parse(r.stdout) as Array<{ name?: string }>;
  return parsed.flatMap((e) => (typeof e.name === 'string' ? [e.name] : []));
}

/**
 * Kill every process still inside a namespace, then delete it. A namespace only disappears
 * when its last process is gone; a stray sshd child would otherwise keep the veths alive.
 * Synchronous so it can run from a process 'exit' handler.
 */
export function destroyNamespaceSync(ns: string): void {
  for (const signal of ['TERM', 'KILL'] as const) {
    let pids: string[] = [];
    try {
      pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 5000, stdio: 'pipe' })
        .split(/\s+/)
        .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
    } catch {
      return; // namespace already gone
    }
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(Number(pid), `SIG${signal}`);
      } catch {
        // exited meanwhile
      }
    }
    // Give TERM a moment to work before KILL (bounded: 20 x 25 ms).
    for (let i = 0; i < 20; i++) {
      const alive = pids.some((p) => {
        try {
          process.kill(Number(p), 0);
          return true;
        } catch {
          return false;
        }
      });
      if (!alive) break;
      execFileSync('sleep', ['0.025']);
    }
  }
  try {
    execFileSync('ip', ['netns', 'del', ns], { timeout: 5000, stdio: 'pipe' });
  } catch {
    // already deleted
  }
}

/** Whether this process may create network namespaces (root or CAP_SYS_ADMIN, no seccomp veto). */
export function canUseNetns(): { ok: true } | { ok: false; reason: string } {
  const probe = `lk-probe${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { timeout: 5000, stdio: 'pipe' });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    return { ok: false, reason: `ip netns add is not permitted here: ${stderr || String(e)}` };
  }
  try {
    execFileSync('ip', ['netns', 'del', probe], { timeout: 5000, stdio: 'pipe' });
  } catch {
    // best effort
  }
  return { ok: true };
}
