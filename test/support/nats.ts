import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** Debian's nats-server, when installed; tests that need one skip without it. */
export const NATS_BIN = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => existsSync(p));

/** A TCP port free on loopback right now (a private nats-server or API listens on it). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A private nats-server with JetStream on loopback, its data under `dir`. */
export function spawnNats(port: number, dir: string): ChildProcess {
  return spawn(NATS_BIN as string, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'js')], {
    stdio: 'ignore',
  });
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`: teardown is bounded. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
