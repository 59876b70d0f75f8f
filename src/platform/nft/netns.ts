import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type ExecResult, spawnRunner } from './exec.js';

/**
 * Throw-away network namespaces for tests and the lab: every firewall change a test makes
 * happens inside one of these, never in the host's own ruleset. Names start `leuko-t-` so a
 * leftover is easy to spot (`ip netns list`), and every namespace created here is deleted at
 * process exit even when the test's own cleanup never ran.
 */
export interface Netns {
  readonly name: string;
  /** Prefix for commands run inside: `['ip', 'netns', 'exec', name]`. */
  readonly prefix: readonly string[];
  exec(argv: readonly string[], timeoutMs?: number): Promise<ExecResult>;
}

const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const name of live) {
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 5000 });
      } catch {
        // already gone
      }
    }
  });
}

async function must(argv: readonly string[], timeoutMs = 10_000): Promise<ExecResult> {
  const r = await spawnRunner(argv, { timeoutMs });
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r;
}

/** Whether this process may create namespaces and run nft (root, binaries present). */
export async function canUseNetns(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, reason: 'not root' };
  for (const bin of [
    ['ip', '-V'],
    ['nft', '--version'],
  ]) {
    try {
      const r = await spawnRunner(bin, { timeoutMs: 5000 });
      if (r.code !== 0) return { ok: false, reason: `${bin[0]} not usable: ${r.stderr.trim()}` };
    } catch {
      return { ok: false, reason: `${bin[0]} not installed (apt-get install nftables iproute2)` };
    }
  }
  return { ok: true };
}

/** Synchronous form of canUseNetns, for `describe.skipIf` at module load. */
export function canUseNetnsSync(): { ok: true } | { ok: false; reason: string } {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, reason: 'not root' };
  for (const bin of ['ip', 'nft']) {
    try {
      execFileSync(bin, [bin === 'ip' ? '-V' : '--version'], { stdio: 'ignore', timeout: 5000 });
    } catch {
      return { ok: false, reason: `${bin} not usable (apt-get install nftables iproute2)` };
    }
  }
  return { ok: true };
}

/** Create `leuko-t-<tag>-<random>` with loopback up. */
export async function createNetns(tag = 'ns'): Promise<Netns> {
  installExitHook();
  const name = `leuko-t-${tag}-${randomBytes(4).toString('hex')}`;
  await must(['ip', 'netns', 'add', name]);
  live.add(name);
  await must(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  const prefix = ['ip', 'netns', 'exec', name] as const;
  return {
    name,
    prefix,
    exec: (argv, timeoutMs = 10_000) => spawnRunner([...prefix, ...argv], { timeoutMs }),
  };
}

/** Delete namespaces; never throws (cleanup must not mask the test's own failure). */
export async function deleteNetns(...all: readonly (Netns | undefined)[]): Promise<void> {
  for (const ns of all) {
    if (!ns) continue;
    await spawnRunner(['ip', 'netns', 'del', ns.name], { timeoutMs: 10_000 }).catch(() => undefined);
    live.delete(ns.name);
  }
}

export interface LinkAddresses {
  /** CIDR for the end in `a`, e.g. `10.77.0.1/24`. */
  readonly a: string;
  readonly b: string;
  /** Optional IPv6 CIDRs (documentation range 2001:db8::/32). */
  readonly a6?: string;
  readonly b6?: string;
}

/** A veth pair from `a` to `b`, created inside `a` so no interface ever appears on the host. */
export async function linkNetns(a: Netns, b: Netns, addrs: LinkAddresses): Promise<void> {
  // Random names: several links may end in the same namespace.
  const tag = randomBytes(3).toString('hex');
  const ifA = `vl-${tag}`;
  const ifB = `vr-${tag}`;
  await must(['ip', '-n', a.name, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', b.name]);
  await must(['ip', '-n', a.name, 'addr', 'add', addrs.a, 'dev', ifA]);
  await must(['ip', '-n', b.name, 'addr', 'add', addrs.b, 'dev', ifB]);
  if (addrs.a6) await must(['ip', '-n', a.name, 'addr', 'add', addrs.a6, 'dev', ifA, 'nodad']);
  if (addrs.b6) await must(['ip', '-n', b.name, 'addr', 'add', addrs.b6, 'dev', ifB, 'nodad']);
  await must(['ip', '-n', a.name, 'link', 'set', ifA, 'up']);
  await must(['ip', '-n', b.name, 'link', 'set', ifB, 'up']);
}

/** A TCP listener inside `ns` answering `ok` to every connection, until stopped. */
export async function startTcpServer(
  ns: Netns,
  port: number,
  host = '::',
): Promise<{ stop(): Promise<void>; readonly pid: number | undefined }> {
  // A client killed mid-handshake resets its socket: without an error handler that reset
  // would crash the server and every later probe would look like a failure.
  const script = `const s=require('net').createServer(c=>{c.on('error',()=>{});c.end('ok\\n')});s.listen(${port},${JSON.stringify(host)},()=>console.log('listening'));`;
  const child: ChildProcess = spawn(ns.prefix[0] ?? 'ip', [...ns.prefix.slice(1), process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tcp server did not start within 10 s')), 10_000);
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcp server exited early (${code})`));
    });
  });
  return {
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/**
 * Whether a TCP connection from inside `ns` to host:port gets the server's `ok` within
 * timeoutMs: true when it does, false when it times out (what a firewall drop looks like).
 * Anything else (refused, unreachable, namespace gone) throws, so a dead server or a broken
 * lab is never mistaken for a working ban. Keep timeoutMs short (about 1 s).
 */
export async function tcpConnects(ns: Netns, host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  const script = `const c=require('net').connect({host:${JSON.stringify(host)},port:${port}});let d='';c.setTimeout(${timeoutMs},()=>process.exit(2));c.on('data',b=>d+=b);c.on('end',()=>process.exit(d.includes('ok')?0:3));c.on('error',e=>{console.error(e.code);process.exit(1)});`;
  const r = await ns.exec([process.execPath, '-e', script], timeoutMs + 10_000);
  if (r.code === 0) return true;
  if (r.code === 2) return false;
  throw new Error(`tcp probe from ${ns.name} to ${host}:${port} failed (${r.code}): ${r.stderr.trim()}`);
}

/** Poll `check` every intervalMs until it returns `want` or attempts run out. Bounded. */
export async function waitFor(
  check: () => Promise<boolean>,
  want: boolean,
  attempts: number,
  intervalMs: number,
): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if ((await check()) === want) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return false;
}
