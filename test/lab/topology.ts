import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { destroyNamespaceSync, inNs, listNamespaces } from './netns.js';
import { killGroup, type RunOptions, type RunResult, run, runOk, startProcess } from './proc.js';
import { isOwnerAlive, type LabRecord, readRecords, removeRecord, selfStart, writeRecord } from './registry.js';

export type NsRole = 'victim' | 'attacker' | 'client';
const ROLES: readonly NsRole[] = ['victim', 'attacker', 'client'];

/** Lab namespace names: `lk-<6 hex>-<role>`; `net` holds the bridge that joins the others. */
const LAB_NS = /^lk-([0-9a-f]{6})-(victim|attacker|client|net)$/;

/** Host octets inside the lab /24. Attacks rotate the attacker through .10-.99 (see setAttacker). */
const HOST: Readonly<Record<NsRole, number>> = { victim: 1, attacker: 2, client: 3 };

export interface Lab {
  readonly id: string;
  /** Namespace names by role, plus `net` (the bridge). */
  readonly ns: Readonly<Record<NsRole | 'net', string>>;
  /** `10.77.<n>.0/24`, random per lab. */
  readonly subnet: string;
  readonly victim: string;
  readonly client: string;
  /** The attacker's current address (changes with `setAttacker`). */
  readonly attacker: string;
  /** A 0755 temp dir for configs, logs and keys; removed on destroy. */
  readonly dir: string;
  /** Run to completion inside a role's namespace, under a time bound. */
  exec(role: NsRole, argv: readonly string[], opts?: Partial<RunOptions>): Promise<RunResult>;
  /** Start a long-lived process inside a role's namespace; it is killed on destroy. */
  spawn(role: NsRole, argv: readonly string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcess;
  /**
   * Give the attacker a fresh address `.host` (10-99), so each attack starts un-banned, as a
   * new attacker would. Returns the new address.
   */
  setAttacker(host: number): Promise<string>;
  /** Remember a local account to delete on destroy (the filesystem is shared with the host). */
  registerUser(name: string): void;
  /** Cleanup to run first on destroy, newest first (services stop before namespaces go). */
  onDestroy(fn: () => Promise<void> | void): void;
  /** Remove everything; idempotent; also run on exit, SIGINT and SIGTERM. */
  destroy(): Promise<void>;
}

export interface CreateLabOptions {
  /** Label for logs only; names stay `lk-<rand>-<role>` so stale cleanup can find them. */
  readonly name?: string;
  /** Keep the temp dir (logs, configs) after destroy, for debugging. */
  readonly keepDir?: boolean;
}

/**
 * Create victim, attacker and client namespaces joined by a bridge in a fourth namespace:
 * victim 10.77.n.1, attacker 10.77.n.2, client 10.77.n.3. Nothing touches the host's own
 * network; the only host-visible traces are the namespace names, the temp dir and any
 * registered user, all removed by `destroy` or, after a crash, by `cleanupStaleLabs`.
 */
export async function createLab(opts: CreateLabOptions = {}): Promise<Lab> {
  const id = randomBytes(3).toString('hex');
  const n = randomInt(1, 255);
  const net = `10.77.${n}`;
  const ns = {
    victim: `lk-${id}-victim`,
    attacker: `lk-${id}-attacker`,
    client: `lk-${id}-client`,
    net: `lk-${id}-net`,
  };
  const dir = mkdtempSync(path.join(tmpdir(), `leuko-lab-${opts.name ?? 'run'}-`));
  // Daemons drop privileges (nginx workers, sshd sessions): they must traverse the dir.
  chmodSync(dir, 0o755);
  const record: LabRecord = {
    id,
    ownerPid: process.pid,
    ownerStart: selfStart(),
    namespaces: Object.values(ns),
    dir,
    users: [],
  };
  writeRecord(record);

  const children = new Set<ChildProcess>();
  const hooks: Array<() => Promise<void> | void> = [];
  let attacker = `${net}.${HOST.attacker}`;
  let destroyed = false;
  let destroying: Promise<void> | undefined;

  const destroySync = () => {
    if (destroyed) return;
    destroyed = true;
    for (const c of children) killGroup(c, 'SIGKILL');
    for (const name of Object.values(ns)) destroyNamespaceSync(name);
    removeUsersSync(record.users);
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    removeRecord(id);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    destroySync();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', destroySync);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const exec: Lab['exec'] = (role, argv, o = {}) => run(inNs(ns[role], argv), { timeoutMs: 30_000, ...o });

  const lab: Lab = {
    id,
    ns,
    subnet: `${net}.0/24`,
    victim: `${net}.${HOST.victim}`,
    client: `${net}.${HOST.client}`,
    get attacker() {
      return attacker;
    },
    dir,
    exec,
    spawn(role, argv, o = {}) {
      if (destroyed) throw new Error('lab destroyed');
      const child = startProcess(inNs(ns[role], argv), o);
      children.add(child);
      child.once('close', () => children.delete(child));
      return child;
    },
    async setAttacker(host) {
      if (!Number.isInteger(host) || host < 10 || host > 99)
        throw new Error(`attacker host octet ${host} not in 10-99`);
      const next = `${net}.${host}`;
      await runOk(inNs(ns.attacker, ['ip', 'addr', 'flush', 'dev', 'eth0']), { timeoutMs: 5000 });
      await runOk(inNs(ns.attacker, ['ip', 'addr', 'add', `${next}/24`, 'dev', 'eth0']), { timeoutMs: 5000 });
      attacker = next;
      return next;
    },
    registerUser(name) {
      record.users.push(name);
      writeRecord(record);
    },
    onDestroy(fn) {
      hooks.push(fn);
    },
    destroy() {
      destroying ??= (async () => {
        for (const fn of hooks.reverse()) {
          try {
            await fn();
          } catch {
            // teardown always continues: the namespaces must go even if a service hung
          }
        }
        for (const c of children) killGroup(c, 'SIGTERM');
        destroySync();
        process.removeListener('exit', destroySync);
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      })();
      return destroying;
    },
  };

  try {
    const ip = (argv: string[]) => runOk(['ip', ...argv], { timeoutMs: 10_000 });
    for (const name of Object.values(ns)) await ip(['netns', 'add', name]);
    await ip(['-n', ns.net, 'link', 'add', 'br0', 'type', 'bridge']);
    await ip(['-n', ns.net, 'link', 'set', 'br0', 'up']);
    for (const role of ROLES) {
      const port = `v-${role}`;
      await ip(['-n', ns.net, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns[role]]);
      await ip(['-n', ns.net, 'link', 'set', port, 'master', 'br0', 'up']);
      await ip(['-n', ns[role], 'addr', 'add', `${net}.${HOST[role]}/24`, 'dev', 'eth0']);
      await ip(['-n', ns[role], 'link', 'set', 'eth0', 'up']);
      await ip(['-n', ns[role], 'link', 'set', 'lo', 'up']);
    }
  } catch (e) {
    await lab.destroy();
    throw e;
  }
  return lab;
}

function removeUsersSync(users: readonly string[]): void {
  for (const u of users) {
    try {
      execFileSync('userdel', ['-f', u], { timeout: 10_000, stdio: 'pipe' });
    } catch {
      // already removed
    }
  }
}

/**
 * Remove what crashed runs left behind: `lk-*` namespaces, lab users and temp dirs whose owner
 * process is gone. Labs whose owner is alive (a parallel test worker) are left alone.
 * Returns the namespaces removed.
 */
export async function cleanupStaleLabs(): Promise<string[]> {
  const records = readRecords();
  const live = new Set(records.filter(isOwnerAlive).map((r) => r.id));
  const removed: string[] = [];
  for (const name of await listNamespaces()) {
    const m = LAB_NS.exec(name);
    if (!m || live.has(m[1]!)) continue;
    destroyNamespaceSync(name);
    removed.push(name);
  }
  for (const r of records) {
    if (live.has(r.id)) continue;
    removeUsersSync(r.users);
    rmSync(r.dir, { recursive: true, force: true });
    removeRecord(r.id);
  }
  return removed;
}
