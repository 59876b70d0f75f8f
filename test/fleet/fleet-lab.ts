import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { fleetKeyToPem, generateFleetKey } from '../../src/fleet/envelope.js';
import { createNetns, deleteNetns, linkNetns, type Netns } from '../../src/platform/nft/netns.js';
import { ROOT } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

/** PostgreSQL through its Unix socket: reachable from inside any network namespace. */
export const PG_SOCKET_URL = process.env.LEUKO_TEST_PG_URL ?? 'postgres://postgres@/test?host=/var/run/postgresql';
const TSX_CLI = ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
const NATS_PORT = 4222;

export interface FleetAgent {
  readonly id: string;
  readonly ns: Netns;
  readonly config: string;
  readonly log: string;
  readonly store: string;
  readonly keyFile: string;
  publicKey: string;
  process?: ChildProcess;
  /** Interface in the agent's namespace that leads to the bus (for partitions). */
  iface: string;
}

/**
 * A fleet on one machine: a bus namespace running a private nats-server (JetStream) and the
 * hive, and one namespace per agent, each linked to the bus by its own veth pair. Agents run
 * `leuko run` inside their namespace with the nftables responder, so each enforces in its own
 * kernel ruleset; nothing touches the host's network.
 */
export class FleetLab {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'leuko-fleet-'));
  readonly schema = `leuko_fleet_${randomBytes(5).toString('hex')}`;
  readonly subnet = randomInt(1, 200);
  bus!: Netns;
  readonly agents = new Map<string, FleetAgent>();
  hiveKey = path.join(this.dir, 'hive.key');
  hivePublicKey = '';
  hiveConfig = path.join(this.dir, 'hive.yaml');
  hive?: ChildProcess;
  nats?: ChildProcess;
  private readonly children = new Set<ChildProcess>();
  private readonly output = new Map<ChildProcess, string[]>();

  /** The agent's own address on its link to the bus (what its heartbeat advertises). */
  agentAddress(index: number): string {
    return `10.78.${this.subnet}.${index * 4 + 2}`;
  }

  natsUrlFor(index: number): string {
    return `nats://10.78.${this.subnet}.${index * 4 + 1}:${NATS_PORT}`;
  }

  async start(agentIds: readonly string[], agentExtra = ''): Promise<void> {
    this.bus = await createNetns('fleet-bus');
    await this.bus.exec(['ip', 'link', 'set', 'lo', 'up']);
    const natsDir = path.join(this.dir, 'nats');
    this.nats = this.spawnIn(this.bus, [
      'nats-server',
      '-a',
      '0.0.0.0',
      '-p',
      String(NATS_PORT),
      '-js',
      '-sd',
      natsDir,
    ]);
    this.hivePublicKey = this.cli(this.bus, ['fleet', 'keygen', '--out', this.hiveKey]).trim();
    for (const [i, id] of agentIds.entries()) {
      const ns = await createNetns(`fleet-${id}`);
      await ns.exec(['ip', 'link', 'set', 'lo', 'up']);
      const base = `10.78.${this.subnet}.${i * 4}`;
      const busAddr = `10.78.${this.subnet}.${i * 4 + 1}`;
      const agentAddr = `10.78.${this.subnet}.${i * 4 + 2}`;
      await linkNetns(this.bus, ns, { a: `${busAddr}/30`, b: `${agentAddr}/30` });
      void base;
      const iface = execFileSync('ip', ['-n', ns.name, '-br', 'link'], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.split(/[\s@]+/)[0] ?? '')
        .find((n) => n.startsWith('vr-')) as string;
      const agentDir = path.join(this.dir, id);
      const agent: FleetAgent = {
        id,
        ns,
        config: path.join(agentDir, 'leuko.yaml'),
        log: path.join(agentDir, 'auth.log'),
        store: path.join(agentDir, 'store'),
        keyFile: path.join(agentDir, 'agent.key'),
        publicKey: '',
        iface,
      };
      execFileSync('mkdir', ['-p', agentDir]);
      writeFileSync(agent.log, '');
      // In-process (the CLI's keygen is exercised for the hive key): a node start costs seconds here.
      const key = generateFleetKey();
      writeFileSync(agent.keyFile, fleetKeyToPem(key), { mode: 0o600 });
      agent.publicKey = key.publicKeyText;
      this.agents.set(id, agent);
    }
    await this.waitNats();
    writeFileSync(
      this.hiveConfig,
      [
        'fleet:',
        `  nats: { servers: ["nats://127.0.0.1:${NATS_PORT}"] }`,
        '  agent: { id: hive }',
        `  hive_public_key: "${this.hivePublicKey}"`,
        `  hive: { store_url: "${PG_SOCKET_URL}", schema: ${this.schema}, key_file: ${this.hiveKey} }`,
        `store: { path: ${path.join(this.dir, 'hive-store')} }`,
      ].join('\n'),
    );
    for (const [i, id] of agentIds.entries()) {
      const a = this.agents.get(id) as FleetAgent;
      writeFileSync(
        a.config,
        [
          'sources:',
          `  - { type: file, path: ${a.log}, format: sshd, start_at: beginning }`,
          'policy: { mode: contain, allowlist: [127.0.0.0/8, "::1", 192.0.2.0/24] }',
          `store: { path: ${a.store} }`,
          'responders:',
          '  - { type: nftables }',
          'fleet:',
          `  nats: { servers: ["${this.natsUrlFor(i)}"] }`,
          `  agent: { id: ${id}, key_file: ${a.keyFile} }`,
          `  hive_public_key: "${this.hivePublicKey}"`,
          '  heartbeat: 1s',
          agentExtra,
        ].join('\n'),
      );
    }
  }

  /** Enroll an agent (or any key) through the hive's signed registry. */
  enroll(agent: string, publicKey: string, scopes: string): void {
    this.cli(this.bus, [
      '--config',
      this.hiveConfig,
      'fleet',
      'enroll',
      agent,
      '--public-key',
      publicKey,
      '--scopes',
      scopes,
    ]);
  }

  /** Run the CLI with the hive's config inside the bus namespace; never throws. */
  hiveCli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(
      'ip',
      ['netns', 'exec', this.bus.name, process.execPath, ...TSX_CLI, '--config', this.hiveConfig, ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  startAgent(id: string): ChildProcess {
    const a = this.agents.get(id) as FleetAgent;
    a.process = this.spawnIn(a.ns, [process.execPath, ...TSX_CLI, '--config', a.config, 'run']);
    return a.process;
  }

  startHive(): ChildProcess {
    this.hive = this.spawnIn(this.bus, [process.execPath, ...TSX_CLI, '--config', this.hiveConfig, 'hive']);
    return this.hive;
  }

  async kill(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  /** The agent's sshd log gets `n` failed passwords from `ip` (what hydra leaves behind). */
  attack(id: string, ip: string, n = 6, user?: string): void {
    const a = this.agents.get(id) as FleetAgent;
    appendFileSync(
      a.log,
      Array.from(
        { length: n },
        (_, i) =>
          `${syslogStamp()} ${id} sshd[${900 + i}]: Failed password for invalid user ${user ?? `admin${i}`} from ${ip} port ${40000 + i} ssh2\n`,
      ).join(''),
    );
  }

  banned(id: string, ip: string): boolean {
    const a = this.agents.get(id) as FleetAgent;
    try {
      const out = execFileSync(
        'ip',
        ['netns', 'exec', a.ns.name, 'nft', '-j', 'list', 'set', 'inet', 'leuko', ip.includes(':') ? 'ban6' : 'ban4'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      return out.includes(`"${ip}"`);
    } catch {
      return false;
    }
  }

  async partition(id: string, cut: boolean): Promise<void> {
    const a = this.agents.get(id) as FleetAgent;
    await a.ns.exec(['ip', 'link', 'set', a.iface, cut ? 'down' : 'up']);
  }

  /** Rows of an agent's own SQLite store (read-only, beside the running daemon). */
  agentRows<T>(id: string, sql: string, ...params: unknown[]): T[] {
    const a = this.agents.get(id) as FleetAgent;
    const file = path.join(a.store, 'leuko.db');
    if (!existsSync(file)) return [];
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  async hiveRows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: PG_SOCKET_URL, options: `-c search_path=${this.schema}` });
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } catch {
      return [];
    } finally {
      await c.end();
    }
  }

  /** Run bus operations (forged or rogue decisions, enrollments) in one process in the bus namespace. */
  inject(ops: readonly Record<string, unknown>[]): string[] {
    const out = execFileSync(
      'ip',
      [
        'netns',
        'exec',
        this.bus.name,
        process.execPath,
        '--import',
        'tsx',
        path.join(ROOT, 'test/fleet/inject.ts'),
        JSON.stringify({ nats: `nats://127.0.0.1:${NATS_PORT}`, ops }),
      ],
      { encoding: 'utf8', cwd: ROOT, timeout: 60_000 },
    );
    return JSON.parse(out.trim()) as string[];
  }

  logsOf(child: ChildProcess | undefined): string {
    return child ? (this.output.get(child) ?? []).join('') : '';
  }

  async destroy(): Promise<void> {
    for (const c of this.children) await this.kill(c, 'SIGKILL');
    await deleteNetns(this.bus, ...[...this.agents.values()].map((a) => a.ns));
    const c = new pg.Client({ connectionString: PG_SOCKET_URL });
    await c.connect().then(
      () => c.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).finally(() => c.end()),
      () => undefined,
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawnIn(ns: Netns, argv: readonly string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns.name, ...argv], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out: string[] = [];
    this.output.set(child, out);
    const keep = (b: Buffer) => {
      out.push(b.toString());
      if (out.length > 400) out.splice(0, out.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  private cli(ns: Netns, args: readonly string[]): string {
    return execFileSync('ip', ['netns', 'exec', ns.name, process.execPath, ...TSX_CLI, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
  }

  private async waitNats(): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const r = await this.bus.exec(['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${NATS_PORT} && head -c 4 <&3`], 2000);
      if (r.code === 0 && r.stdout.startsWith('INFO')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nats-server did not start in the bus namespace:\n${this.logsOf(this.nats)}`);
  }
}
