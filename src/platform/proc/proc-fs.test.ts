import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createProcFs } from './proc-fs.js';

function killGroup(c: ChildProcess): void {
  try {
    if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const proc = createProcFs();
const started: ChildProcess[] = [];
afterAll(() => {
  // Each child leads its own process group: killing the group also ends what a shell started.
  for (const c of started) killGroup(c);
});

async function startSleep(args: string[] = ['60']): Promise<number> {
  const c = spawn('sleep', args, { stdio: 'ignore', detached: true });
  started.push(c);
  await once(c, 'spawn');
  return c.pid ?? -1;
}

async function waitFor(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('createProcFs on the real /proc', () => {
  it('reads a live child: comm, argv, parent, uid, start time', async () => {
    const pid = await startSleep(['61']);
    // Right after fork the child may still show the parent's comm until exec completes.
    await waitFor(async () => (await proc.readStat(pid))?.comm === 'sleep');
    const info = await proc.readProcess(pid);
    expect(info).toMatchObject({ pid, comm: 'sleep', ppid: process.pid, uid: 0, euid: 0, kernelThread: false });
    expect(info?.cmdline).toEqual(['sleep', '61']);
    expect(info?.exe).toMatch(/sleep|coreutils/);
    expect(info?.startTicks).toBeGreaterThan(0);
    expect(await proc.isGone(pid, info?.startTicks)).toBe(false);
    // A different start time means the pid now names another process.
    expect(await proc.isGone(pid, (info?.startTicks ?? 0) + 1)).toBe(true);
    expect(await proc.hasTrustedExe(pid)).toBe(true);
  });

  it('knows kernel threads and pid 1', async () => {
    const kthreadd = await proc.readProcess(2);
    if (kthreadd) expect(kthreadd.kernelThread).toBe(true);
    const init = await proc.readProcess(1);
    expect(init?.kernelThread).toBe(false);
    expect(await proc.readProcess(2 ** 30)).toBeUndefined();
  });

  it('lists children, descendants and ancestors', async () => {
    const sh = spawn('sh', ['-c', 'sleep 62 & sleep 63 & wait'], { stdio: 'ignore', detached: true });
    started.push(sh);
    await once(sh, 'spawn');
    const pid = sh.pid ?? -1;
    expect(await waitFor(async () => (await proc.children(pid)).length === 2)).toBe(true);
    const kids = await proc.children(pid);
    expect(await proc.descendants(process.pid)).toEqual(expect.arrayContaining([pid, ...kids]));
    const kid = kids[0] ?? -1;
    const chain = (await proc.ancestors(kid)).map((s) => s.pid);
    expect(chain.slice(0, 2)).toEqual([pid, process.pid]);
    expect(chain[chain.length - 1]).toBe(1);
  });

  it('sees a stopped process and a zombie as such', async () => {
    const pid = await startSleep();
    process.kill(pid, 'SIGSTOP');
    expect(await waitFor(() => proc.isStopped(pid))).toBe(true);
    process.kill(pid, 'SIGCONT');
    expect(await waitFor(async () => !(await proc.isStopped(pid)))).toBe(true);
    process.kill(pid, 'SIGKILL');
    expect(await waitFor(() => proc.isGone(pid))).toBe(true);
  });

  it('finds the process listening on a TCP port, IPv4 and IPv6', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    try {
      const found = await proc.findListeners(port);
      expect(found).toEqual([
        expect.objectContaining({ pid: process.pid, socket: expect.objectContaining({ address: '127.0.0.1', port }) }),
      ]);
      expect(await proc.findListeners(port === 65535 ? 65534 : port + 1)).not.toContainEqual(
        expect.objectContaining({ pid: process.pid, socket: expect.objectContaining({ port }) }),
      );
    } finally {
      server.close();
    }
    const v6 = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      v6.once('error', () => resolve(false));
      v6.listen(0, '::1', () => resolve(true));
    });
    if (!ok) return; // no IPv6 loopback in this sandbox
    const p6 = (v6.address() as net.AddressInfo).port;
    try {
      const found = await proc.findListeners(p6);
      expect(found.map((l) => [l.pid, l.socket.family, l.socket.address])).toEqual([[process.pid, 6, '::1']]);
    } finally {
      v6.close();
    }
  });

  it('reads the boot time', async () => {
    const boot = await proc.bootTimeMs();
    expect(boot).toBeGreaterThan(1_000_000_000_000);
  });
});
