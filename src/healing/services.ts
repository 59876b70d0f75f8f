import { existsSync } from 'node:fs';
import type { ProtectConfig } from '../config/protect.js';
import { type CommandResult, describeResult, runCommand } from '../platform/exec/index.js';
import { createProcFs, type ProcFs } from '../platform/proc/index.js';
import { probeHttp, probeTcp } from '../policy/health-probes.js';

export type ServiceSpec = ProtectConfig['services'][number];

export interface ProbeAnswer {
  readonly ok: boolean;
  readonly detail: string;
}

const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

/** Probe a service once: HTTP status, TCP connect, a process by name, or a command's exit status. */
export async function probeService(s: ServiceSpec, proc: ProcFs = createProcFs()): Promise<ProbeAnswer> {
  const timeoutMs = s.timeout * 1000;
  const p = s.probe;
  if ('http' in p) {
    const r = await probeHttp({ type: 'http', name: s.name, url: p.http, expect: p.expect, intervalMs: 0, timeoutMs });
    return { ok: r.ok, detail: `GET ${p.http}: ${r.detail}` };
  }
  if ('tcp' in p) {
    const cut = p.tcp.lastIndexOf(':');
    const host = p.tcp.slice(0, cut).replace(/^\[|\]$/g, '');
    const port = Number(p.tcp.slice(cut + 1));
    const r = await probeTcp({ type: 'tcp', name: s.name, host, port, intervalMs: 0, timeoutMs });
    return { ok: r.ok, detail: `connect ${p.tcp}: ${r.detail}` };
  }
  if ('process' in p) {
    const running = (await proc.listStats()).filter((st) => st.comm === p.process && st.state !== 'Z');
    return running.length > 0
      ? { ok: true, detail: `${running.length} ${p.process} process(es) running` }
      : { ok: false, detail: `no ${p.process} process running` };
  }
  const r = await runCommand(['/bin/sh', '-c', p.command], { timeoutMs, env: ENV });
  return { ok: r.code === 0, detail: `${p.command}: ${describeResult(r)}` };
}

/** The restart command: the configured one, else `systemctl restart NAME` where systemd runs. */
export function restartArgv(s: ServiceSpec): readonly string[] | undefined {
  if (s.restart !== undefined) return ['/bin/sh', '-c', s.restart];
  if (existsSync('/run/systemd/system')) return ['systemctl', 'restart', s.name];
  return undefined;
}

export async function restartService(
  s: ServiceSpec,
  timeoutMs: number,
): Promise<{ ok: boolean; detail: string; result?: CommandResult }> {
  const argv = restartArgv(s);
  if (!argv)
    return { ok: false, detail: `no restart command for ${s.name} and no systemd; set protect.services[].restart` };
  const r = await runCommand(argv, { timeoutMs, env: ENV });
  return { ok: r.code === 0, detail: `${argv.join(' ')}: ${describeResult(r)}`, result: r };
}

/** Probe until healthy or the deadline: a freshly started service needs a moment to listen. */
export async function waitHealthy(s: ServiceSpec, withinMs: number, proc?: ProcFs): Promise<ProbeAnswer> {
  const deadline = Date.now() + withinMs;
  let last: ProbeAnswer = { ok: false, detail: 'not probed' };
  for (;;) {
    last = await probeService(s, proc);
    if (last.ok || Date.now() >= deadline) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
}
