import type { ChildProcess } from 'node:child_process';
import { runCli, spawnCli, waitFor } from '../support/cli.js';

/** A `leuko run` with the API on an ephemeral loopback port (read from its log). */
export interface RunningLeuko {
  readonly child: ChildProcess;
  readonly base: string;
  readonly log: () => string;
  stop(): Promise<number | null>;
}

export async function startLeuko(config: string): Promise<RunningLeuko> {
  const child = spawnCli(['--config', config, 'run']);
  let text = '';
  child.stdout?.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (text += b.toString()));
  const base = await waitFor(
    'the API to listen',
    () => {
      if (child.exitCode !== null) throw new Error(`leuko run exited (${child.exitCode}):\n${text}`);
      return /api listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text)?.[1];
    },
    30_000,
  );
  return {
    child,
    base,
    log: () => text,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** `leuko tokens create --role ROLE --json`: the secret. */
export function createToken(config: string, role: 'viewer' | 'operator' | 'admin', name: string): string {
  const r = runCli(['--config', config, 'tokens', 'create', '--role', role, '--name', name, '--json']);
  if (r.status !== 0) throw new Error(`tokens create failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

export function createBouncerKey(config: string, name: string): string {
  const r = runCli(['--config', config, 'bouncers', 'add', name, '--json']);
  if (r.status !== 0) throw new Error(`bouncers add failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { api_key: string }).api_key;
}

/** The lines of a brute force against sshd, as auth.log has them. */
export function sshBruteForce(ip: string, n: number, stamp: string): string {
  return Array.from(
    { length: n },
    (_, i) => `${stamp} web1 sshd[${700 + i}]: Failed password for root from ${ip} port ${5000 + i} ssh2\n`,
  ).join('');
}
