import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { Decision } from '../../core/decision.js';
import type { ResponderContext } from '../../core/responder.js';
import { createProcFs } from '../../platform/proc/index.js';
import { createProcessResponder, processConfigSchema, processDecisionValue } from './index.js';

function killGroup(c: ChildProcess): void {
  try {
    if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const proc = createProcFs();
const dir = mkdtempSync(path.join(tmpdir(), 'leuko-proc-'));
const children: ChildProcess[] = [];
afterAll(() => {
  // Each child leads its own process group: killing the group also ends what a shell started.
  for (const c of children) killGroup(c);
  rmSync(dir, { recursive: true, force: true });
});

const logs: string[] = [];
const ctx: ResponderContext = {
  signal: new AbortController().signal,
  clock: createManualClock(0),
  timeoutMs: 20_000,
  log: (_level, message) => logs.push(message),
};

let n = 0;
function decision(action: string, value: string): Decision {
  return {
    id: `dec_${++n}`,
    scope: 'process',
    value,
    action,
    durationS: 3600,
    createdAt: 0,
    expiresAt: 3_600_000,
    origin: 'cli',
    reason: 'test',
    blastRadius: 'low',
    status: 'approved',
    offence: 1,
  };
}

async function start(file: string, args: string[]): Promise<ChildProcess> {
  const c = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  children.push(c);
  await once(c, 'spawn');
  return c;
}

/** Pinned value of a child once it has exec'd (its comm is no longer the parent's). */
async function pinned(c: ChildProcess, comm: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const s = await proc.readStat(c.pid ?? -1);
    if (s?.comm === comm) return processDecisionValue(s);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`child never became ${comm}`);
}

async function state(pid: number): Promise<string | undefined> {
  return (await proc.readStat(pid))?.state;
}

const LISTEN =
  "const s=require('net').createServer().listen(+process.argv[1]||0,'127.0.0.1',()=>console.log(s.address().port))";

/** Start a TCP listener from `bin` and return it with its port. */
async function listener(bin: string, port = 0): Promise<{ child: ChildProcess; port: number }> {
  const child = await start(bin, ['-e', LISTEN, String(port)]);
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { child, port: Number(line.toString().trim()) };
}

describe('process responder: freeze and thaw', () => {
  const r = createProcessResponder({ selfPid: process.pid, killGraceMs: 300 });

  it('stops a process (state T), verifies it, is idempotent, and resumes it on rollback', async () => {
    const c = await start('sleep', ['60']);
    const d = decision('freeze', await pinned(c, 'sleep'));
    expect(r.plan(d)).toMatchObject({ responder: 'process', reversible: true, blastRadius: 'low' });
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(await state(c.pid ?? -1)).toBe('T');
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect((await r.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(await state(c.pid ?? -1)).toMatch(/^[RSD]$/);
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false, reason: expect.stringContaining('not stopped') });
  });

  it('freezes the whole tree and thaws it, also from a fresh responder without memory', async () => {
    const sh = await start('sh', ['-c', 'sleep 61 & sleep 62 & wait']);
    const value = await pinned(sh, 'sh');
    let kids: number[] = [];
    for (let i = 0; i < 100 && kids.length < 2; i++) {
      kids = await proc.children(sh.pid ?? -1);
      await new Promise((res) => setTimeout(res, 10));
    }
    const d = decision('freeze', value);
    const out = (await r.apply([d], ctx)).get(d.id);
    expect(out).toMatchObject({ kind: 'applied', detail: expect.stringContaining('stopped 3 processes') });
    for (const pid of [sh.pid ?? -1, ...kids]) expect(await state(pid)).toBe('T');
    const restarted = createProcessResponder({ selfPid: process.pid });
    expect((await restarted.rollback([d], ctx)).get(d.id)).toMatchObject({
      kind: 'applied',
      detail: expect.stringContaining('3'),
    });
    for (const pid of [sh.pid ?? -1, ...kids]) expect(await state(pid)).toMatch(/^[RSD]$/);
  });
});

describe('process responder: kill', () => {
  const r = createProcessResponder({ selfPid: process.pid, killGraceMs: 300 });

  it('terminates with SIGTERM, verifies, and then skips an absent process', async () => {
    const c = await start('sleep', ['60']);
    const d = decision('kill', await pinned(c, 'sleep'));
    expect(r.plan(d)).toMatchObject({ reversible: false, blastRadius: 'medium' });
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'applied',
      detail: expect.stringContaining('SIGTERM'),
    });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('not running'),
    });
    expect((await r.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'skipped' });
  });

  it('escalates to SIGKILL when SIGTERM is ignored, and kills the children too', async () => {
    const sh = await start('sh', ['-c', 'trap "" TERM; sleep 60 & while :; do sleep 1; done']);
    const d = decision('kill', await pinned(sh, 'sh'));
    const out = (await r.apply([d], ctx)).get(d.id);
    expect(out).toMatchObject({ kind: 'applied', detail: expect.stringContaining('SIGKILL after 300 ms') });
    expect(await proc.isGone(sh.pid ?? -1)).toBe(true);
    expect(await proc.descendants(sh.pid ?? -1)).toEqual([]);
  });

  it('skips a pid whose start time no longer matches (pid reuse)', async () => {
    const c = await start('sleep', ['60']);
    const value = await pinned(c, 'sleep');
    const [pid, ticks] = value.split('@');
    const d = decision('kill', `${pid}@${Number(ticks) - 1}`);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('reused'),
    });
    expect(await proc.isGone(c.pid ?? -1)).toBe(false);
  });

  it('fails cleanly on a malformed value or a foreign scope', async () => {
    const bad = decision('kill', '12; rm -rf /');
    const wrongScope = { ...decision('kill', '123'), scope: 'ip' as const };
    const out = await r.apply([bad, wrongScope], ctx);
    expect(out.get(bad.id)).toMatchObject({ kind: 'failed', retryable: false });
    expect(out.get(wrongScope.id)).toMatchObject({ kind: 'failed', retryable: false });
  });
});

describe('process responder: protected processes are never touched', () => {
  it('refuses pid 1, itself, its ancestors and kernel threads', async () => {
    const r = createProcessResponder({ selfPid: process.pid });
    const parent = (await proc.readStat(process.pid))?.ppid ?? 1;
    const ds = [
      decision('kill', '1'),
      decision('kill', String(process.pid)),
      decision('freeze', String(parent)),
      decision('kill', '2'),
    ];
    const out = await r.apply(ds, ctx);
    expect(ds.map((d) => out.get(d.id)?.kind)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    const reasons = ds.map((d) => {
      const o = out.get(d.id);
      return o?.kind === 'skipped' ? o.reason : '';
    });
    expect(reasons[0]).toContain('pid 1');
    expect(reasons[1]).toContain('Leuko itself');
    expect(reasons[2]).toContain('ancestor of Leuko');
    expect(reasons[3]).toMatch(/kernel thread|not running/);
    expect(await state(parent)).not.toBe('T');
  });

  it('refuses configured pids, names (root-owned executables) and users', async () => {
    const a = await start('sleep', ['60']);
    const b = await start('sleep', ['60']);
    const va = await pinned(a, 'sleep');
    const vb = await pinned(b, 'sleep');
    const byPid = createProcessResponder({ selfPid: process.pid, protect: { pids: [a.pid ?? -1] } });
    const byName = createProcessResponder({ selfPid: process.pid, protect: { names: ['sleep'] } });
    const byUser = createProcessResponder({ selfPid: process.pid, protect: { users: ['root'] } });
    for (const [r, reason] of [
      [byPid, 'configured as protected'],
      [byName, 'protected name sleep'],
      [byUser, 'protected user root'],
    ] as const) {
      const d = decision('kill', reason === 'configured as protected' ? va : vb);
      expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
        kind: 'skipped',
        reason: expect.stringContaining(reason),
      });
    }
    expect(await proc.isGone(a.pid ?? -1)).toBe(false);
    expect(await proc.isGone(b.pid ?? -1)).toBe(false);
  });

  it('finds an sshd listener on any port by itself and protects it and its parent chain', async () => {
    const bin = path.join(dir, 'sshd');
    symlinkSync(process.execPath, bin);
    // `; :` keeps sh from exec'ing, so sh stays the listener's parent.
    const sh = await start('sh', ['-c', `'${bin}' -e "${LISTEN}" 0; :`]);
    const [line] = (await once(sh.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const port = Number(line.toString().trim());
    const listeners = await proc.findListeners(port);
    expect(listeners.map((l) => l.comm)).toEqual(['sshd']);
    const sshd = listeners[0]?.pid ?? -1;
    const r = createProcessResponder({ selfPid: process.pid, killGraceMs: 200 });
    const onSshd = decision('kill', String(sshd));
    const onParent = decision('freeze', await pinned(sh, 'sh'));
    const out = await r.apply([onSshd, onParent], ctx);
    expect(out.get(onSshd.id)).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('the ssh listener') });
    expect(out.get(onParent.id)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('ancestor of the ssh listener'),
    });
    expect(await proc.isGone(sshd)).toBe(false);
  });

  it('protects whatever listens on a configured ssh port, but not an impostor sshd from a writable file', async () => {
    const plain = await listener(process.execPath);
    const r = createProcessResponder({ selfPid: process.pid, sshPorts: [plain.port], killGraceMs: 200 });
    const d = decision('kill', String(plain.child.pid));
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('ssh listener'),
    });

    // An attacker's own binary named sshd (here: world-writable) must stay killable.
    const fake = path.join(dir, 'fake', 'sshd');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(fake));
    copyFileSync(process.execPath, fake);
    chmodSync(fake, 0o777);
    const impostor = await listener(fake);
    expect((await proc.readStat(impostor.child.pid ?? -1))?.comm).toBe('sshd');
    const d2 = decision('kill', String(impostor.child.pid));
    expect((await r.apply([d2], ctx)).get(d2.id)).toMatchObject({ kind: 'applied' });
  });
});

describe('processConfigSchema', () => {
  it('accepts snake_case YAML values with safe defaults', () => {
    expect(processConfigSchema.parse({ type: 'process' })).toEqual({
      type: 'process',
      protect: { pids: [], names: [], users: [] },
      ssh_ports: [22],
      kill_grace: 5,
      tree: true,
    });
    const c = processConfigSchema.parse({
      type: 'process',
      ssh_ports: [2222],
      kill_grace: '2s',
      protect: { users: ['backup'] },
    });
    expect(c).toMatchObject({ ssh_ports: [2222], kill_grace: 2, protect: { users: ['backup'] } });
    expect(processConfigSchema.safeParse({ type: 'process', ssh_ports: [0] }).success).toBe(false);
    expect(processConfigSchema.safeParse({ type: 'process', killGrace: 3 }).success).toBe(false);
  });
});
