import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetBus, type FleetConfig, openFleetBus } from '../../src/fleet/bus.js';
import type { ConfigPush } from '../../src/fleet/config-push.js';
import {
  encodeEnvelope,
  type FleetKeyPair,
  fleetKeyToPem,
  generateFleetKey,
  parseEnvelope,
  signEnvelope,
} from '../../src/fleet/envelope.js';
import { rollOutConfig } from '../../src/fleet/rollout.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { freePort, NATS_BIN, spawnNats, stopChild } from '../support/nats.js';

interface Beat {
  configVersion?: number;
  configError?: string;
  policyMode?: string;
}

/**
 * Pushed config on the real nats-server with two real agents (`leuko run`): an unsigned push
 * and one the agent's validator rejects are refused and audited (the canary's refusal rolls it
 * back before the fleet sees it); a valid fragment goes through the canary, then the fleet, and
 * changes the policy in force on every agent without a restart.
 */
describe.skipIf(NATS_BIN === undefined)('fleet: pushed config through a canary', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-fleet-config-'));
  const hiveKey = generateFleetKey();
  const hiveConfig = path.join(dir, 'hive.yaml');
  const children: ChildProcess[] = [];
  const logs = new Map<string, string>();
  let bus: FleetBus | undefined;

  const storeOf = (id: string) => path.join(dir, id, 'store');
  const audit = (id: string, action: string) => {
    const db = new Database(path.join(storeOf(id), 'leuko.db'), { readonly: true });
    try {
      return db.prepare('SELECT subject, data FROM audit WHERE action = ? ORDER BY seq').all(action) as {
        subject: string;
        data: string;
      }[];
    } finally {
      db.close();
    }
  };
  const beat = async (id: string): Promise<{ at: number; body: Beat } | undefined> => {
    const e = await bus?.status.get(id);
    if (e?.operation !== 'PUT') return undefined;
    const p = parseEnvelope(e.value);
    return p.ok ? { at: p.envelope.at, body: p.envelope.body as Beat } : undefined;
  };
  const sign = (key: FleetKeyPair, push: ConfigPush) =>
    encodeEnvelope(
      signEnvelope(key, {
        kind: 'config',
        agent: 'hive',
        at: Date.now(),
        id: `hive:config:${push.version}`,
        body: push,
      }),
    );

  beforeAll(async () => {
    const natsPort = await freePort();
    children.push(spawnNats(natsPort, dir));
    const servers = `["nats://127.0.0.1:${natsPort}"]`;
    writeFileSync(path.join(dir, 'hive.key'), fleetKeyToPem(hiveKey), { mode: 0o600 });
    writeFileSync(
      hiveConfig,
      [
        'fleet:',
        `  nats: { servers: ${servers} }`,
        '  agent: { id: hive }',
        `  hive_public_key: "${hiveKey.publicKeyText}"`,
        `  hive: { store_url: "postgres://unused@127.0.0.1/unused", key_file: ${path.join(dir, 'hive.key')} }`,
      ].join('\n'),
    );
    const bus0 = { nats: { servers: [`nats://127.0.0.1:${natsPort}`] }, retention: 3600 } as unknown as FleetConfig;
    bus = await waitFor('the nats-server', () => openFleetBus(bus0, 'leuko-test').catch(() => undefined), 30_000);
    for (const id of ['a', 'b']) {
      mkdirSync(path.join(dir, id));
      writeFileSync(path.join(dir, id, 'auth.log'), '');
      const config = path.join(dir, id, 'leuko.yaml');
      writeFileSync(
        config,
        [
          'sources:',
          `  - { type: file, path: ${path.join(dir, id, 'auth.log')}, format: sshd }`,
          'policy: { mode: observe, allowlist: [192.0.2.0/24] }',
          `store: { path: ${storeOf(id)} }`,
          'api: { enabled: false }',
          'fleet:',
          `  nats: { servers: ${servers} }`,
          `  agent: { id: ${id}, key_file: ${path.join(dir, id, 'agent.key')} }`,
          `  hive_public_key: "${hiveKey.publicKeyText}"`,
          '  heartbeat: 1s',
        ].join('\n'),
      );
      const child = spawnCli(['--config', config, 'run']);
      logs.set(id, '');
      child.stdout?.on('data', (b: Buffer) => logs.set(id, `${logs.get(id)}${b}`));
      child.stderr?.on('data', (b: Buffer) => logs.set(id, `${logs.get(id)}${b}`));
      children.push(child);
    }
    for (const id of ['a', 'b'])
      await waitFor(`agent ${id}'s heartbeat`, async () => ((await beat(id)) ? true : undefined), 120_000);
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses and audits an unsigned push and one the agent validator rejects; the canary stops it', async () => {
    const rogue = generateFleetKey();
    await bus?.rules.put('config', sign(rogue, { version: Date.now(), fragment: { policy: { mode: 'contain' } } }));
    for (const id of ['a', 'b'])
      await waitFor(
        `${id} refusing the unsigned push`,
        () => (audit(id, 'fleet.config-refused').length > 0 ? true : undefined),
        60_000,
      );
    expect(JSON.parse(audit('a', 'fleet.config-refused')[0]?.data ?? '{}')).toMatchObject({
      reason: 'not signed by the hive key',
    });
    expect((await beat('a'))?.body.policyMode).toBe('observe');

    // Signed by the hive, but the validator refuses it: the canary reports it, the fleet never gets it.
    const result = await rollOutConfig({
      bus: bus as FleetBus,
      fragment: { policy: { mode: 'contain', health_checks: [{ type: 'tcp', host: 'x', port: 1 }] } },
      canary: 'a',
      timeoutMs: 60_000,
      sign: (push) => sign(hiveKey, push),
      now: () => Date.now(),
    });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/canary a refused it: config \d+ refused: policy\.health_checks cannot be pushed/);
    expect(audit('a', 'fleet.config-refused').map((r) => JSON.parse(r.data).reason)).toContainEqual(
      expect.stringMatching(/^policy\.health_checks cannot be pushed/),
    );
    expect(audit('b', 'fleet.config-refused')).toHaveLength(1);
    expect(audit('b', 'fleet.config-applied')).toEqual([]);

    // The CLI checks a fragment before signing anything.
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'policy: { mode: nuke }\n');
    const refused = runCli(['--config', hiveConfig, 'fleet', 'push-config', bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/bad\.yaml: policy\.mode: /);
  }, 180_000);

  it('applies a valid fragment on the canary, then on the fleet, live and audited', async () => {
    const good = path.join(dir, 'good.yaml');
    writeFileSync(
      good,
      'policy:\n  mode: contain\n  allowlist: [10.99.0.0/16]\n  budget: { max_bans_per_minute: 7 }\n',
    );
    const pushed = runCli([
      '--config',
      hiveConfig,
      'fleet',
      'push-config',
      good,
      '--canary',
      'a',
      '--timeout',
      '60',
      '--json',
    ]);
    expect(pushed.status, pushed.stderr + pushed.stdout).toBe(0);
    const result = JSON.parse(pushed.stdout) as { ok: boolean; version: number; canary: string };
    expect(result).toMatchObject({ ok: true, canary: 'a' });
    for (const id of ['a', 'b']) {
      const hb = await waitFor(
        `${id} running config ${result.version}`,
        async () => {
          const b = await beat(id);
          return b?.body.configVersion === result.version ? b.body : undefined;
        },
        60_000,
      );
      expect(hb).toMatchObject({ policyMode: 'contain' });
      expect(hb.configError).toBeUndefined();
      // Once per agent (the canary's earlier records are the rollback of the refused push).
      const applied = audit(id, 'fleet.config-applied').filter((r) => r.subject === `config ${result.version}`);
      expect(applied).toHaveLength(1);
      expect(JSON.parse(applied[0]?.data ?? '{}')).toMatchObject({ version: result.version, mode: 'contain' });
    }
  }, 180_000);
});
