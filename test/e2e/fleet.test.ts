import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canUseNetnsSync } from '../../src/platform/nft/netns.js';
import { waitFor } from '../support/cli.js';
import { FleetLab } from '../fleet/fleet-lab.js';

const netns = canUseNetnsSync();
const natsServer = existsSync('/usr/sbin/nats-server') || existsSync('/usr/bin/nats-server');
const pgSocket = existsSync('/var/run/postgresql/.s.PGSQL.5432');
const ready = netns.ok && natsServer && pgSocket;
const why = !netns.ok ? netns.reason : !natsServer ? 'nats-server is not installed' : 'no PostgreSQL socket';

/**
 * The immunity network end to end, on real components: a private nats-server (JetStream) and
 * the hive (PostgreSQL through its socket) in a bus namespace, three agents (`leuko run` with
 * the nftables responder) each in its own namespace. One attack on A immunizes B and C; a
 * partitioned agent defends alone and catches up; forged, rogue and out-of-bounds messages are
 * refused and audited; a hive killed mid-stream loses and doubles nothing.
 */
describe.skipIf(!ready)(`fleet: agents, bus and hive${ready ? '' : ` (skipped: ${why})`}`, () => {
  const lab = new FleetLab();
  const fleetDecisions = (id: string, value: string) =>
    lab.agentRows<{ id: string; origin: string; status: string }>(
      id,
      'SELECT id, origin, status FROM decisions WHERE value = ?',
      value,
    );
  const fleetAudit = (id: string, action: string) =>
    lab.agentRows<{ subject: string; data: string }>(
      id,
      'SELECT subject, data FROM audit WHERE kind = ? AND action = ?',
      'fleet',
      action,
    );

  beforeAll(async () => {
    await lab.start(['a', 'b', 'c'], '  accept: { quorum: 2 }');
    for (const id of ['a', 'b', 'c'])
      lab.enroll(id, (lab.agents.get(id) as { publicKey: string }).publicKey, 'ip,range');
    lab.startHive();
    for (const id of ['a', 'b', 'c']) lab.startAgent(id);
    await waitFor(
      'three agents on the bus',
      () =>
        ['a', 'b', 'c'].every((id) => lab.logsOf(lab.agents.get(id)?.process).includes(`fleet agent ${id} connected`))
          ? true
          : undefined,
      120_000,
    );
  }, 300_000);

  afterAll(async () => {
    await lab.destroy();
  }, 60_000);

  it('bans an attacker seen by A on A, B and C within seconds, and the hive records it once', async () => {
    const attacker = '198.51.100.7';
    lab.attack('a', attacker);
    const t0 = Date.now();
    await waitFor('the ban on A', () => (lab.banned('a', attacker) ? true : undefined), 60_000);
    const onA = Date.now();
    await waitFor('the ban on C', () => (lab.banned('c', attacker) ? true : undefined), 60_000);
    await waitFor('the ban on B', () => (lab.banned('b', attacker) ? true : undefined), 60_000);
    console.info(`fleet: A banned after ${onA - t0} ms; C followed ${Date.now() - onA} ms later (upper bound)`);
    expect(fleetDecisions('a', attacker)).toEqual([expect.objectContaining({ origin: 'scenario' })]);
    const onC = fleetDecisions('c', attacker);
    expect(onC).toHaveLength(1);
    expect(onC[0]).toMatchObject({ origin: 'fleet', id: fleetDecisions('a', attacker)[0]?.id });
    await waitFor(
      'the hive storing the decision',
      async () =>
        (await lab.hiveRows('SELECT id FROM decisions WHERE value = $1', [attacker])).length === 1 ? true : undefined,
      60_000,
    );
    await waitFor(
      'the hive storing the detection',
      async () =>
        (await lab.hiveRows('SELECT id FROM detections WHERE entity_value = $1', [attacker])).length >= 1
          ? true
          : undefined,
      60_000,
    );
  }, 300_000);

  it('keeps a partitioned agent defending alone and reconciles both ways when it returns, without duplicates', async () => {
    await lab.partition('b', true);
    const seenByB = '198.51.100.20';
    const seenByA = '198.51.100.21';
    lab.attack('b', seenByB);
    await waitFor('B banning on its own while cut off', () => (lab.banned('b', seenByB) ? true : undefined), 60_000);
    lab.attack('a', seenByA);
    await waitFor('C banning what A saw', () => (lab.banned('c', seenByA) ? true : undefined), 60_000);
    // While the link is down B cannot have heard of it.
    expect(lab.banned('b', seenByA)).toBe(false);
    expect(lab.banned('c', seenByB)).toBe(false);

    await lab.partition('b', false);
    await waitFor('B catching up with the fleet', () => (lab.banned('b', seenByA) ? true : undefined), 60_000);
    await waitFor(
      'the fleet hearing what B decided alone',
      () => (lab.banned('c', seenByB) ? true : undefined),
      60_000,
    );
    await waitFor(
      'the hive storing B\u2019s decision',
      async () =>
        (await lab.hiveRows('SELECT id FROM decisions WHERE value = $1', [seenByB])).length > 0 ? true : undefined,
      60_000,
    );
    // Exactly one decision each, everywhere: no duplicates from the catch-up.
    expect(fleetDecisions('b', seenByB)).toHaveLength(1);
    expect(fleetDecisions('b', seenByA)).toHaveLength(1);
    expect(fleetDecisions('c', seenByB)).toHaveLength(1);
    expect(await lab.hiveRows('SELECT id FROM decisions WHERE value = $1', [seenByB])).toHaveLength(1);
    expect(await lab.hiveRows('SELECT id FROM decisions WHERE value = $1', [seenByA])).toHaveLength(1);
  }, 300_000);

  it('refuses and audits forged, rogue and out-of-bounds messages; a quorum of untrusted agents works', async () => {
    const a = lab.agents.get('a') as { keyFile: string };
    const key = (name: string) => `${lab.dir}/${name}.key`;
    const enroll = (agent: string) => ({
      op: 'enroll',
      hiveKeyFile: lab.hiveKey,
      keyFile: key(agent),
      agent,
      scopes: [],
    });
    const decide = (keyFile: string, agent: string, scope: 'ip' | 'range', value: string) => ({
      op: 'decision',
      keyFile,
      agent,
      scope,
      value,
    });
    // Three enrolled agents with valid keys but no trust for any scope.
    lab.inject([enroll('rogue'), enroll('scout1'), enroll('scout2')]);
    lab.inject([
      // A forged signature: the rogue's key, claiming to be A.
      decide(key('rogue'), 'a', 'ip', '198.51.100.30'),
      // A valid key with no trust for the scope: it only counts towards a quorum (1 of 2).
      decide(key('rogue'), 'rogue', 'ip', '198.51.100.31'),
      // A's own key, but out of bounds: the whole internet, a wide range, an allowlisted address.
      decide(a.keyFile, 'a', 'range', '0.0.0.0/0'),
      decide(a.keyFile, 'a', 'range', '198.0.0.0/8'),
      decide(a.keyFile, 'a', 'ip', '192.0.2.9'),
      // B's own address (no config lists it: B advertises it in its signed heartbeat).
      decide(a.keyFile, 'a', 'ip', lab.agentAddress(1)),
      // Two distinct untrusted agents reporting the same address reach the quorum of 2.
      decide(key('scout1'), 'scout1', 'ip', '198.51.100.40'),
      decide(key('scout2'), 'scout2', 'ip', '198.51.100.40'),
    ]);

    await waitFor('the quorum ban on C', () => (lab.banned('c', '198.51.100.40') ? true : undefined), 60_000);
    await waitFor(
      'every refusal audited on C',
      () => (fleetAudit('c', 'fleet.refused').length >= 5 ? true : undefined),
      60_000,
    );
    const reasons = fleetAudit('c', 'fleet.refused').map((r) => (JSON.parse(r.data) as { reason: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/forged signature/),
        expect.stringMatching(/0\.0\.0\.0\/0 is the whole ipv4 internet/),
        expect.stringMatching(/198\.0\.0\.0\/8 is wider than/),
        expect.stringMatching(/192\.0\.2\.9 is allowlisted here/),
        expect.stringMatching(/covers a fleet host/),
      ]),
    );
    const pending = fleetAudit('c', 'fleet.quorum-pending').map(
      (r) => (JSON.parse(r.data) as { reason: string }).reason,
    );
    expect(pending).toEqual(
      expect.arrayContaining([expect.stringMatching(/rogue is not trusted for scope ip: 1 of 2/)]),
    );
    for (const id of ['a', 'b', 'c']) {
      expect(lab.banned(id, '198.51.100.30')).toBe(false);
      expect(lab.banned(id, '198.51.100.31')).toBe(false);
      expect(lab.banned(id, '192.0.2.9')).toBe(false);
      expect(lab.banned(id, lab.agentAddress(1))).toBe(false);
      expect(fleetDecisions(id, '0.0.0.0/0')).toHaveLength(0);
    }
    // The hive refuses the forgery too, and never stores what it could not verify.
    await waitFor(
      'the hive auditing the forgery',
      async () =>
        (await lab.hiveRows("SELECT subject FROM audit WHERE action = 'fleet.refused'")).length > 0 ? true : undefined,
      60_000,
    );
  }, 300_000);

  it('rolls rules out through a canary: a bundle the canary refuses never reaches the fleet, a good one does', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const bad = `${lab.dir}/rules-bad`;
    const good = `${lab.dir}/rules-good`;
    mkdirSync(bad);
    mkdirSync(good);
    writeFileSync(`${bad}/broken.yaml`, 'name: fleet/broken\nkind: leaky\ncapacity: [not a number\n');
    writeFileSync(
      `${good}/honeypot.yaml`,
      [
        'name: fleet/ssh-honeypot-user',
        'description: a login attempt for an account that exists nowhere but in attackers\u2019 lists',
        'kind: trigger',
        'filter:',
        '  event.dataset: sshd',
        '  event.outcome: failure',
        '  user.name: honeypot-user',
        'group_by: source.ip',
        'techniques: [T1110.001]',
        'severity: high',
        'confidence: 0.95',
        'decision: { action: ban, duration: 1h, scope: ip }',
        "explain: 'a login attempt for the honeypot account from {key}'",
      ].join('\n'),
    );
    const applied = (id: string) => lab.agentRows(id, "SELECT subject FROM audit WHERE action = 'fleet.rules-applied'");

    const refused = lab.hiveCli(['fleet', 'push-rules', bad, '--canary', 'c', '--timeout', '40']);
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(/canary c refused it/);
    for (const id of ['a', 'b']) expect(applied(id)).toHaveLength(0);

    const pushed = lab.hiveCli(['fleet', 'push-rules', good, '--canary', 'c', '--timeout', '40']);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/after canary c applied it and stayed healthy/);
    await waitFor(
      'A and B applying the rules',
      () => (applied('a').length > 0 && applied('b').length > 0 ? true : undefined),
      60_000,
    );

    // The pushed rule is in force: one attempt for the honeypot account is enough now.
    lab.attack('a', '198.51.100.60', 1, 'honeypot-user');
    await waitFor(
      'the honeypot rule banning on A',
      () => (lab.banned('a', '198.51.100.60') ? true : undefined),
      60_000,
    );
  }, 300_000);

  it('loses and doubles nothing when the hive is killed -9 mid-stream; agents keep working', async () => {
    const attackers = Array.from({ length: 12 }, (_, i) => `198.51.100.${100 + i}`);
    for (const [i, ip] of attackers.entries()) {
      lab.attack('a', ip);
      if (i === 4) await lab.kill(lab.hive, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 150));
    }
    // Agents never waited on the hive.
    await waitFor('the last attacker banned on C while the hive is down', () =>
      lab.banned('c', attackers.at(-1) as string) ? true : undefined,
    );
    lab.startHive();
    const mine = lab.agentRows<{ id: string }>('a', "SELECT id FROM decisions WHERE origin = 'scenario'");
    await waitFor(
      'the restarted hive catching up',
      async () => {
        const rows = await lab.hiveRows<{ id: string }>('SELECT id FROM decisions WHERE id = ANY($1)', [
          mine.map((m) => m.id),
        ]);
        return rows.length === mine.length ? true : undefined;
      },
      60_000,
    );
    const dupes = await lab.hiveRows<{ id: string; n: string }>(
      "SELECT subject AS id, COUNT(*) AS n FROM audit WHERE action IN ('fleet.decision', 'fleet.detection') GROUP BY subject HAVING COUNT(*) > 1",
    );
    expect(dupes).toEqual([]);
    const verify = await lab.hiveRows<{ seq: string }>('SELECT seq FROM audit ORDER BY seq');
    expect(verify.map((r) => Number(r.seq))).toEqual(verify.map((_, i) => i + 1));
  }, 300_000);
});
