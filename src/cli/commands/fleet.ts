import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { systemClock } from '../../core/clock.js';
import { type FleetConfig, openFleetBus } from '../../fleet/bus.js';
import {
  encodeEnvelope,
  fleetKeyToPem,
  generateFleetKey,
  publicKeyFromText,
  signEnvelope,
} from '../../fleet/envelope.js';
import { readFleetStatus } from '../../fleet/fleet-status.js';
import { loadFleetKey } from '../../fleet/keys.js';
import { rollOut, rollOutConfig } from '../../fleet/rollout.js';
import { checkConfigPush, type ConfigPush } from '../../fleet/config-push.js';
import type { RuleBundle } from '../../fleet/rules-sync.js';

import { syncRegistry } from '../../fleet/registry-sync.js';
import type { AgentRecord } from '../../fleet/trust.js';
import { registryFromConfig } from '../../fleet/trust.js';
import { loadRuntime, type Runtime, type RuntimeOptions } from '../context.js';
import { fail, iso, printJson, printTable } from '../output.js';

function fleetConfig(cmd: Command, loaded?: Runtime): FleetConfig | undefined {
  const runtime = loaded ?? loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
  if (!runtime) return undefined;
  if (!runtime.config.fleet) {
    fail('this configuration has no `fleet:` section (NATS servers, agent identity); see the README', 2);
    return undefined;
  }
  return runtime.config.fleet;
}

/** Sign a registry entry with the hive's key and put it on the bus. */
async function putRegistry(cmd: Command, record: AgentRecord): Promise<void> {
  const config = fleetConfig(cmd);
  if (!config) return;
  const keyFile = config.hive?.key_file;
  if (!keyFile) return fail('fleet.hive.key_file is not set: enrollment is signed with the hive key', 2);
  const key = loadFleetKey(keyFile);
  const bus = await openFleetBus({ ...config }, 'leuko-cli');
  try {
    const now = systemClock.now();
    const env = signEnvelope(key, {
      kind: 'agent',
      agent: 'hive',
      at: now,
      id: `hive:agent:${record.agent}:${now}`,
      body: record,
    });
    await bus.agents.put(record.agent, encodeEnvelope(env));
  } finally {
    await bus.close();
  }
}

/** `leuko fleet ...`: keys, enrollment, revocation and the fleet's status. */
export function registerFleet(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('the fleet: keys, enrollment, revocation, rule and config pushes, agent status');

  fleet
    .command('keygen')
    .description('create an Ed25519 key (agent or hive) and print its public key')
    .requiredOption('--out <file>', 'where to write the private key (PEM, mode 0600)')
    .option('--json', 'print JSON')
    .action((opts: { out: string; json?: boolean }) => {
      const key = generateFleetKey();
      try {
        writeFileSync(opts.out, fleetKeyToPem(key), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        return fail(`cannot write ${opts.out}: ${(err as Error).message} (an existing key is never overwritten)`, 2);
      }
      if (opts.json) printJson({ file: opts.out, public_key: key.publicKeyText });
      else process.stdout.write(`${key.publicKeyText}\n`);
    });

  fleet
    .command('enroll')
    .description('trust an agent: the hive signs its public key and scopes into the fleet registry')
    .argument('<agent>', 'agent id')
    .requiredOption('--public-key <base64>', 'the agent\u2019s public key (printed at its first start)')
    .option('--scopes <list>', 'scopes acted on without a quorum: ip,range, or none', 'ip')
    .action(async (agent: string, opts: { publicKey: string; scopes: string }, cmd: Command) => {
      if (!publicKeyFromText(opts.publicKey))
        return fail('--public-key is not a base64 Ed25519 public key (32 bytes)', 2);
      const scopes = opts.scopes === 'none' ? [] : opts.scopes.split(',').map((s) => s.trim());
      if (scopes.some((s) => s !== 'ip' && s !== 'range')) return fail('--scopes takes ip, range or none', 2);
      await putRegistry(cmd, {
        agent,
        publicKey: opts.publicKey,
        trustedScopes: scopes as AgentRecord['trustedScopes'],
        revoked: false,
        updatedAt: systemClock.now(),
      });
      process.stdout.write(`${agent} enrolled (trusted for: ${scopes.join(', ') || 'nothing without a quorum'})\n`);
    });

  fleet
    .command('revoke')
    .description('stop trusting an agent: every agent and the hive refuse its messages from now on')
    .argument('<agent>', 'agent id')
    .action(async (agent: string, _opts: unknown, cmd: Command) => {
      await putRegistry(cmd, { agent, publicKey: '', trustedScopes: [], revoked: true, updatedAt: systemClock.now() });
      process.stdout.write(`${agent} revoked\n`);
    });

  fleet
    .command('push-rules')
    .description('push scenario files to the fleet, signed by the hive; with --canary, one agent first')
    .argument('<dir>', 'folder of scenario YAML files (the whole set the fleet should run)')
    .option('--canary <agent>', 'apply on this agent first and continue only if it stays healthy')
    .option('--timeout <seconds>', 'how long to wait for the canary', '60')
    .option('--json', 'print JSON')
    .action(async (dir: string, opts: { canary?: string; timeout: string; json?: boolean }, cmd: Command) => {
      const config = fleetConfig(cmd);
      if (!config) return;
      if (!config.hive?.key_file)
        return fail('fleet.hive.key_file is not set: rule bundles are signed with the hive key', 2);
      const key = loadFleetKey(config.hive.key_file);
      let files: Record<string, string>;
      try {
        files = Object.fromEntries(
          readdirSync(dir)
            .filter((f) => /\.ya?ml$/.test(f))
            .sort()
            .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
        );
      } catch (err) {
        return fail(`cannot read ${dir}: ${(err as Error).message}`, 2);
      }
      const bus = await openFleetBus(config, 'leuko-cli');
      const sign = (bundle: RuleBundle) =>
        encodeEnvelope(
          signEnvelope(key, {
            kind: 'rules',
            agent: 'hive',
            at: systemClock.now(),
            id: `hive:rules:${bundle.version}`,
            body: bundle,
          }),
        );
      const result = await rollOut({
        bus,
        files,
        ...(opts.canary ? { canary: opts.canary } : {}),
        timeoutMs: Number(opts.timeout) * 1000,
        sign,
        now: () => systemClock.now(),
      }).finally(() => bus.close());
      if (opts.json) printJson(result);
      else process.stdout.write(`${result.message}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  fleet
    .command('push-config')
    .description(
      'push a policy fragment (mode, allowlist additions, budget, dry_run) to the fleet, signed by the hive; with --canary, one agent first',
    )
    .argument('<file>', 'YAML file with a `policy:` section, e.g. policy: { mode: contain, allowlist: [10.0.0.0/8] }')
    .option('--canary <agent>', 'apply on this agent first and continue only if it stays healthy')
    .option('--timeout <seconds>', 'how long to wait for the canary', '60')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { canary?: string; timeout: string; json?: boolean }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      const config = runtime ? fleetConfig(cmd, runtime) : undefined;
      if (!runtime || !config) return;
      if (!config.hive?.key_file)
        return fail('fleet.hive.key_file is not set: config pushes are signed with the hive key', 2);
      let fragment: unknown;
      try {
        fragment = parseYaml(readFileSync(file, 'utf8'));
      } catch (err) {
        return fail(`cannot read ${file}: ${(err as Error).message}`, 2);
      }
      // Checked here against this config's policy for an early answer; every agent checks it
      // again, against its own policy, before applying it.
      const check = checkConfigPush(runtime.config.policy, fragment);
      if (!check.ok) return fail(`${file}: ${check.reason}`, 2);
      const key = loadFleetKey(config.hive.key_file);
      const bus = await openFleetBus(config, 'leuko-cli');
      const result = await rollOutConfig({
        bus,
        fragment: fragment as ConfigPush['fragment'],
        ...(opts.canary ? { canary: opts.canary } : {}),
        timeoutMs: Number(opts.timeout) * 1000,
        sign: (push) =>
          encodeEnvelope(
            signEnvelope(key, {
              kind: 'config',
              agent: 'hive',
              at: systemClock.now(),
              id: `hive:config:${push.version}`,
              body: push,
            }),
          ),
        now: () => systemClock.now(),
      }).finally(() => bus.close());
      if (opts.json) printJson(result);
      else process.stdout.write(`${result.message}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  fleet
    .command('status')
    .description('agents: last seen, version, lag, and whether their heartbeat is signed by an enrolled key')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = fleetConfig(cmd);
      if (!config) return;
      const bus = await openFleetBus(config, 'leuko-cli');
      try {
        const registry = registryFromConfig(config);
        const hiveKey = config.hive_public_key ? publicKeyFromText(config.hive_public_key) : undefined;
        const watch = await syncRegistry(bus.agents, registry, hiveKey, () => undefined);
        watch.stop();
        const rows = (await readFleetStatus(bus.status, registry, systemClock.now())).map((a) => ({
          agent: a.agent,
          last_seen: iso(a.lastSeen),
          seen_ago_s: a.seenAgoS,
          version: a.version,
          lag_ms: a.lagMs,
          lines: a.lines,
          decisions: a.decisions,
          enrolled: a.enrolled,
          trusted_scopes: a.trustedScopes,
        }));
        if (opts.json) return printJson(rows);
        if (rows.length === 0) return void process.stdout.write('no agent has reported yet\n');
        printTable(
          ['agent', 'last seen', 'ago', 'version', 'lag', 'lines', 'decisions', 'enrolled'],
          rows.map((r) => [
            r.agent,
            r.last_seen,
            `${r.seen_ago_s}s`,
            r.version,
            r.lag_ms === null ? '-' : `${r.lag_ms}ms`,
            r.lines,
            r.decisions,
            r.enrolled ? `yes (${r.trusted_scopes.join(',') || 'quorum'})` : 'NO',
          ]),
        );
      } finally {
        await bus.close();
      }
    });
}
