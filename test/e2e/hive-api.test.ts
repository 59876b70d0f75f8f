import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetBus, type FleetConfig, openFleetBus, subjectFor } from '../../src/fleet/bus.js';
import {
  encodeEnvelope,
  type FleetKeyPair as FleetKey,
  fleetKeyToPem,
  generateFleetKey,
  signEnvelope,
} from '../../src/fleet/envelope.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { PG_SOCKET_URL } from '../fleet/fleet-lab.js';
import { freePort, NATS_BIN, spawnNats, stopChild } from '../support/nats.js';

const pgSocket = existsSync('/var/run/postgresql/.s.PGSQL.5432');
const ready = NATS_BIN !== undefined && pgSocket;

/**
 * `leuko hive` serves the same HTTP API as `leuko run`, over its PostgreSQL store: a private
 * nats-server, the hive as a process, two agents' signed messages put on the bus, then real
 * HTTP for decisions, fleet incidents and the fleet's agents, with a token made by
 * `leuko tokens create` in the hive's store; `leuko incidents` reads the same store.
 */
describe.skipIf(!ready)('hive: API and fleet view over PostgreSQL', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-hive-api-'));
  const schema = `leuko_hive_${randomBytes(5).toString('hex')}`;
  const hiveConfig = path.join(dir, 'hive.yaml');
  const agents = new Map<string, FleetKey>([
    ['a', generateFleetKey()],
    ['b', generateFleetKey()],
  ]);
  let nats: ChildProcess | undefined;
  let hive: ChildProcess | undefined;
  let hiveLog = '';
  let bus: FleetBus | undefined;
  let base = '';
  let token = '';

  beforeAll(async () => {
    const natsPort = await freePort();
    const apiPort = await freePort();
    nats = spawnNats(natsPort, dir);
    const hiveKey = generateFleetKey();
    writeFileSync(path.join(dir, 'hive.key'), fleetKeyToPem(hiveKey), { mode: 0o600 });
    writeFileSync(
      hiveConfig,
      [
        'fleet:',
        `  nats: { servers: ["nats://127.0.0.1:${natsPort}"] }`,
        '  agent: { id: hive }',
        `  hive_public_key: "${hiveKey.publicKeyText}"`,
        '  agents:',
        ...[...agents].map(([id, k]) => `    - { id: ${id}, public_key: "${k.publicKeyText}", scopes: [ip] }`),
        `  hive: { store_url: "${PG_SOCKET_URL}", schema: ${schema}, key_file: ${path.join(dir, 'hive.key')} }`,
        `api: { listen: "127.0.0.1:${apiPort}" }`,
        `store: { path: ${path.join(dir, 'unused-sqlite')} }`,
      ].join('\n'),
    );
    const config = { nats: { servers: [`nats://127.0.0.1:${natsPort}`] }, retention: 3600 } as unknown as FleetConfig;
    bus = await waitFor('the nats-server', () => openFleetBus(config, 'leuko-test').catch(() => undefined), 30_000);
    hive = spawnCli(['--config', hiveConfig, 'hive']);
    hive.stdout?.on('data', (b: Buffer) => (hiveLog += b.toString()));
    hive.stderr?.on('data', (b: Buffer) => (hiveLog += b.toString()));
    await waitFor('the hive API', () => (hiveLog.includes('api listening on') ? true : undefined), 120_000);
    base = `http://127.0.0.1:${apiPort}`;
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    for (const child of [hive, nats]) await stopChild(child);
    const c = new pg.Client({ connectionString: PG_SOCKET_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const publish = async (agent: string, kind: 'detection' | 'decision', id: string, body: object) => {
    const env = signEnvelope(agents.get(agent) as FleetKey, { kind, agent, at: Date.now(), id, body });
    await bus?.js.publish(subjectFor(agent, kind), encodeEnvelope(env), { msgID: env.id });
  };
  const get = async (url: string, auth = token) => {
    const res = await fetch(`${base}${url}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('serves decisions, fleet incidents and the agents, with a token from the hive store', async () => {
    const attacker = '198.51.100.23';
    const now = Date.now();
    for (const [i, agent] of ['a', 'b'].entries())
      await publish(agent, 'detection', `${agent}:det:${i}`, {
        id: `det_${agent}_1`,
        host: agent,
        at: now,
        scenario: 'leuko/ssh-bf',
        entity: { type: 'ip', value: attacker },
        severity: 'high',
        explanation: 'ssh brute force',
      });
    await publish('a', 'decision', 'a:dec:1', {
      id: 'dec_a_1',
      scope: 'ip',
      value: attacker,
      action: 'ban',
      durationS: 3600,
      createdAt: now,
      expiresAt: now + 3_600_000,
      reason: 'ssh brute force',
      host: 'a',
    });
    const beat = signEnvelope(agents.get('a') as FleetKey, {
      kind: 'heartbeat',
      agent: 'a',
      at: now,
      id: `a:hb:${now}`,
      body: { agent: 'a', version: '9.9.9-test', lagMs: 42, lines: 7, decisions: 1 },
    });
    await bus?.status.put('a', encodeEnvelope(beat));

    // The token lives in the hive's PostgreSQL store: the CLI reads the hive config's store.
    const made = runCli(['--config', hiveConfig, 'tokens', 'create', '--role', 'viewer', '--name', 'ops', '--json']);
    expect(made.status, made.stderr).toBe(0);
    token = (JSON.parse(made.stdout) as { token: string }).token;

    expect((await get('/api/v1/decisions', '')).status).toBe(401);
    const decisions = await waitFor(
      'the fleet decision through the API',
      async () => {
        const r = await get(`/api/v1/decisions?value=${attacker}`);
        const list = r.body as { id: string; origin: string }[];
        return r.status === 200 && list.length > 0 ? list : undefined;
      },
      60_000,
    );
    expect(decisions).toEqual([expect.objectContaining({ id: 'dec_a_1', origin: 'fleet', value: attacker })]);

    const incidents = await waitFor(
      'the fleet incident through the API',
      async () => {
        const r = await get('/api/v1/incidents?scenario=leuko/fleet-correlation');
        const list = r.body as { entity: { value: string }; explanation: string }[];
        return r.status === 200 && list.length > 0 ? list : undefined;
      },
      60_000,
    );
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.entity.value).toBe(attacker);
    expect(incidents[0]?.explanation).toMatch(/attacked 2 hosts/);

    const fleet = await get('/api/v1/fleet/agents');
    expect(fleet.status).toBe(200);
    expect(fleet.body).toEqual([
      expect.objectContaining({ agent: 'a', version: '9.9.9-test', lagMs: 42, enrolled: true, trustedScopes: ['ip'] }),
    ]);
    const status = await get('/api/v1/status');
    expect(status.body).toMatchObject({ activeDecisions: 1, openIncidents: 1 });

    // The CLI reads the same store through the same interface.
    const listed = runCli(['--config', hiveConfig, 'incidents', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('leuko/fleet-correlation');
  }, 240_000);
});
