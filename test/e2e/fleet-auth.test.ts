import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeAccount, encodeOperator, encodeUser, fmtCreds } from '@nats-io/jwt';
import { createAccount, createOperator, createUser } from '@nats-io/nkeys';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { type FleetConfig, openFleetBus } from '../../src/fleet/bus.js';
import { freePort, NATS_BIN, stopChild } from '../support/nats.js';

const openssl = ['/usr/bin/openssl', '/bin/openssl'].some((p) => existsSync(p));

/** The `fleet:` section through the config validator, as an agent's config file would give it. */
function fleetSection(nats: Record<string, unknown>): FleetConfig {
  return configSchema().parse({ fleet: { nats } }).fleet as FleetConfig;
}

/**
 * The `fleet.nats` authentication options against a nats-server started with that auth: an nkey
 * user (the seed file), a decentralized JWT user (a `.creds` file, the server in operator mode),
 * and mutual TLS (CA, client certificate and key). Each opens the fleet bus for real (stream and
 * buckets) and a client without the credential is turned away.
 */
describe.skipIf(NATS_BIN === undefined || !openssl)('fleet: NATS nkey and TLS options', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-fleet-auth-'));
  const servers: ChildProcess[] = [];

  afterAll(async () => {
    for (const s of servers) await stopChild(s, 5000);
    rmSync(dir, { recursive: true, force: true });
  });

  async function startServer(name: string, conf: string): Promise<void> {
    const file = path.join(dir, `${name}.conf`);
    writeFileSync(file, conf);
    const s = spawn(NATS_BIN as string, ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    servers.push(s);
    let log = '';
    s.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    const deadline = Date.now() + 20_000;
    while (!log.includes('Server is ready')) {
      if (s.exitCode !== null || Date.now() > deadline) throw new Error(`nats-server ${name} did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('connects with an nkey seed file, and a client without it is refused', async () => {
    const port = await freePort();
    const user = createUser();
    const seedFile = path.join(dir, 'agent.nk');
    writeFileSync(seedFile, `${new TextDecoder().decode(user.getSeed())}\n`, { mode: 0o600 });
    await startServer(
      'nkey',
      [
        `listen: 127.0.0.1:${port}`,
        `jetstream { store_dir: "${path.join(dir, 'js-nkey')}" }`,
        `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }`,
      ].join('\n'),
    );
    const url = `nats://127.0.0.1:${port}`;
    const bus = await openFleetBus(fleetSection({ servers: [url], nkey_seed_file: seedFile }), 'leuko-test-nkey');
    try {
      await bus.status.put('probe', new TextEncoder().encode('ok'));
      expect(new TextDecoder().decode((await bus.status.get('probe'))?.value)).toBe('ok');
    } finally {
      await bus.close();
    }
    await expect(connect({ servers: [url], maxReconnectAttempts: 0, timeout: 5000 })).rejects.toThrow(/authorization/i);
  }, 60_000);

  it('connects with a creds file (operator-mode JWT user), and a client without it is refused', async () => {
    const port = await freePort();
    // The chain nsc would make: an operator signs the account, the account signs the user.
    const operator = createOperator();
    const account = createAccount();
    const user = createUser();
    // JetStream needs the server's own system account in operator mode.
    const system = createAccount();
    const operatorJwt = await encodeOperator('leuko-test', operator, { system_account: system.getPublicKey() });
    const systemJwt = await encodeAccount('SYS', system, {}, { signer: operator });
    // Limits given in part default the rest to zero (no connections, no JetStream): -1 is unlimited.
    const unlimited = { subs: -1, data: -1, payload: -1, conn: -1, leaf: -1, imports: -1, exports: -1 };
    const jetstream = { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 };
    const accountJwt = await encodeAccount(
      'FLEET',
      account,
      { limits: { ...unlimited, wildcards: true, ...jetstream } },
      { signer: operator },
    );
    const userJwt = await encodeUser('web1', user, account);
    const credsFile = path.join(dir, 'agent.creds');
    writeFileSync(credsFile, fmtCreds(userJwt, user), { mode: 0o600 });
    await startServer(
      'creds',
      [
        `listen: 127.0.0.1:${port}`,
        `jetstream { store_dir: "${path.join(dir, 'js-creds')}" }`,
        `operator: "${operatorJwt}"`,
        `system_account: ${system.getPublicKey()}`,
        'resolver: MEMORY',
        `resolver_preload: { ${account.getPublicKey()}: "${accountJwt}", ${system.getPublicKey()}: "${systemJwt}" }`,
      ].join('\n'),
    );
    const url = `nats://127.0.0.1:${port}`;
    const bus = await openFleetBus(fleetSection({ servers: [url], creds_file: credsFile }), 'leuko-test-creds');
    try {
      await bus.status.put('probe', new TextEncoder().encode('creds'));
      expect(new TextDecoder().decode((await bus.status.get('probe'))?.value)).toBe('creds');
    } finally {
      await bus.close();
    }
    await expect(connect({ servers: [url], maxReconnectAttempts: 0, timeout: 5000 })).rejects.toThrow(/authoriz/i);
  }, 60_000);

  it('connects over mutual TLS with the configured CA, certificate and key', async () => {
    const port = await freePort();
    const f = (n: string) => path.join(dir, n);
    const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    ssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem')].concat([
        '-days',
        '1',
        '-subj',
        '/CN=leuko test CA',
      ]),
    );
    // The client names 127.0.0.1 as localhost in its TLS handshake: the certificate carries both.
    writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const who of ['server', 'client']) {
      ssl(
        ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${who}.key`), '-out', f(`${who}.csr`)].concat([
          '-subj',
          `/CN=leuko ${who}`,
        ]),
      );
      ssl(
        ['x509', '-req', '-in', f(`${who}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial'].concat([
          '-out',
          f(`${who}.pem`),
          '-days',
          '1',
          '-extfile',
          f(`${who}.ext`),
        ]),
      );
    }
    await startServer(
      'tls',
      [
        `listen: 127.0.0.1:${port}`,
        `jetstream { store_dir: "${f('js-tls')}" }`,
        `tls { cert_file: "${f('server.pem')}", key_file: "${f('server.key')}", ca_file: "${f('ca.pem')}", verify: true }`,
      ].join('\n'),
    );
    const url = `tls://127.0.0.1:${port}`;
    const bus = await openFleetBus(
      fleetSection({
        servers: [url],
        tls: { ca_file: f('ca.pem'), cert_file: f('client.pem'), key_file: f('client.key') },
      }),
      'leuko-test-tls',
    );
    try {
      await bus.status.put('probe', new TextEncoder().encode('tls'));
      expect(new TextDecoder().decode((await bus.status.get('probe'))?.value)).toBe('tls');
    } finally {
      await bus.close();
    }
    // The server verifies clients: the CA alone (no client certificate) is not enough.
    await expect(
      connect({ servers: [url], tls: { caFile: f('ca.pem') }, maxReconnectAttempts: 0, timeout: 5000 }),
    ).rejects.toThrow();
  }, 90_000);
});
