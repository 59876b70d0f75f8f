import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { Decision } from '../../core/decision.js';
import type { ResponderContext } from '../../core/responder.js';
import { runCommand } from '../../platform/exec/index.js';
import { createProcFs } from '../../platform/proc/index.js';
import { createAccountOps, createUserDb } from '../../platform/users/index.js';
import { createLockAccountResponder, lockAccountConfigSchema } from './index.js';

const users = createUserDb();
const proc = createProcFs();
const ops = createAccountOps({ proc });
const dir = mkdtempSync(path.join(tmpdir(), 'leuko-lock-'));
const created: string[] = [];
const children: ChildProcess[] = [];

const run = (argv: string[]) => runCommand(argv, { timeoutMs: 10_000 });

async function makeUser(password = true): Promise<string> {
  const name = `lkt${randomBytes(4).toString('hex')}`;
  const r = await run(['useradd', '-M', '-s', '/bin/sh', name]);
  if (r.code !== 0) throw new Error(`useradd: ${r.stderr}`);
  created.push(name);
  // A (fake) hash, so there is a password for the lock to disable and rollback to restore.
  if (password) await run(['usermod', '-p', '$6$leukotest$notarealhash', name]);
  return name;
}

beforeAll(async () => {
  // Fail fast with a clear reason if the sandbox lacks the tools (package `passwd`).
  for (const bin of ['useradd', 'usermod', 'chage', 'pkill', 'setpriv']) {
    const r = await run(['sh', '-c', `command -v ${bin}`]);
    if (r.code !== 0) throw new Error(`${bin} is required for these tests`);
  }
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const name of created) {
    await run(['pkill', '-KILL', '-u', name]);
    await run(['userdel', '-f', name]);
  }
  rmSync(dir, { recursive: true, force: true });
});

// "Today" far past epoch day 0, so chage -E 0 counts as expired.
const ctx: ResponderContext = {
  signal: new AbortController().signal,
  clock: createManualClock(Date.UTC(2026, 0, 1)),
  timeoutMs: 30_000,
  log: () => {},
};

let n = 0;
function decision(value: string): Decision {
  return {
    id: `dec_${++n}`,
    scope: 'user',
    value,
    action: 'lock-account',
    durationS: 3600,
    createdAt: 0,
    expiresAt: 3_600_000,
    origin: 'cli',
    reason: 'test',
    blastRadius: 'high',
    status: 'approved',
    offence: 1,
  };
}

async function uidOf(name: string): Promise<number> {
  const u = await users.lookup(name);
  if (!u) throw new Error(`no user ${name}`);
  return u.uid;
}

async function startAs(argv: string[]): Promise<ChildProcess> {
  const c = spawn(argv[0] ?? 'false', argv.slice(1), { stdio: 'ignore' });
  children.push(c);
  await once(c, 'spawn');
  return c;
}

describe('lock-account responder', () => {
  it('locks, expires and ends sessions; verifies; rollback unlocks; both idempotent', async () => {
    const name = await makeUser();
    const uid = await uidOf(name);
    await startAs(['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'sleep', '60']);
    await startAs(['su', '-s', '/bin/sh', name, '-c', 'sleep 61']);
    for (let i = 0; i < 100 && (await ops.processesOf(uid)).length < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await ops.processesOf(uid)).length).toBeGreaterThanOrEqual(2);

    const r = createLockAccountResponder({ stateFile: path.join(dir, 'state.json') });
    const d = decision(name);
    expect(r.plan(d)).toMatchObject({ blastRadius: 'high', reversible: true });
    expect(r.plan(d).steps).toContain(`usermod -L -- ${name}`);
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false });

    const out = (await r.apply([d], ctx)).get(d.id);
    expect(out).toMatchObject({ kind: 'applied', detail: expect.stringMatching(/ended [2-9]\d* processes/) });
    expect(await ops.processesOf(uid)).toEqual([]);
    expect(await users.shadow(name)).toMatchObject({ locked: true, expireDays: 0 });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    // A new session cannot start any more.
    expect((await run(['su', '-s', '/bin/sh', name, '-c', 'true'])).code).not.toBe(0);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect((await users.shadow(name))?.password).toBe('!$6$leukotest$notarealhash');

    // A restarted Leuko (new responder, same state file) restores the exact prior state.
    const restarted = createLockAccountResponder({ stateFile: path.join(dir, 'state.json') });
    expect((await restarted.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(await users.shadow(name)).toMatchObject({ locked: false, expireDays: undefined });
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false });
    expect((await run(['su', '-s', '/bin/sh', name, '-c', 'true'])).code).toBe(0);
    expect((await restarted.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'skipped' });
  });

  it('leaves an account the administrator had locked still locked after rollback, and restores its expiry', async () => {
    const name = await makeUser(false); // useradd leaves the password as `!`
    await run(['chage', '-E', '30000', name]);
    const r = createLockAccountResponder({ endSessions: false });
    const d = decision(name);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(await users.shadow(name)).toMatchObject({ locked: true, expireDays: 0 });
    expect((await r.rollback([d], ctx)).get(d.id)).toMatchObject({
      kind: 'applied',
      detail: expect.stringContaining('stays locked'),
    });
    expect(await users.shadow(name)).toMatchObject({ locked: true, expireDays: 30000 });
  });

  it('never locks root, uid 0, configured administrators or system accounts', async () => {
    const admin = await makeUser();
    const r = createLockAccountResponder({ protectedUsers: [admin] });
    const ds = [decision('root'), decision(admin), decision('daemon'), decision('nobody-such-user'), decision('-e0')];
    const out = await r.apply(ds, ctx);
    expect(ds.map((d) => out.get(d.id)?.kind)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'failed']);
    const reason = (i: number) => {
      const o = out.get(ds[i]?.id ?? '');
      return o?.kind === 'skipped' ? o.reason : '';
    };
    expect(reason(0)).toContain('uid 0');
    expect(reason(1)).toContain('administrator');
    expect(reason(2)).toContain('system account');
    expect(reason(3)).toContain('no local account');
    expect(await users.shadow(admin)).toMatchObject({ locked: false });
    expect((await users.shadow('root'))?.expireDays).not.toBe(0);
  });
});

describe('lockAccountConfigSchema', () => {
  it('has safe defaults and rejects unknown keys', () => {
    expect(lockAccountConfigSchema.parse({ type: 'lock-account' })).toEqual({
      type: 'lock-account',
      protected_users: [],
      min_uid: 1000,
      end_sessions: true,
    });
    expect(lockAccountConfigSchema.safeParse({ type: 'lock-account', admins: ['x'] }).success).toBe(false);
  });
});
