import { rmSync } from 'node:fs';
import path from 'node:path';
import type { KvWatchEntry } from '@nats-io/kv';
import { VERSION } from '../cli/version.js';
import type { AddonContext, DaemonAddon, RunningAddon } from '../daemon/addons.js';
import { createAllowlist, parseCidr } from '../policy/allowlist.js';
import { createHostAddresses } from '../policy/host-addresses.js';
import type { AcceptContext } from './accept.js';
import { type FleetBus, type FleetConfig, openFleetBus } from './bus.js';
import { createConfigApplier } from './config-apply.js';
import { encodeEnvelope, parseEnvelope, publicKeyFromText, signEnvelope } from './envelope.js';
import { loadOrCreateFleetKey } from './keys.js';
import { createOutbox } from './outbox.js';
import { createMemberAddresses } from './member-addresses.js';
import { createQuorumTracker } from './quorum.js';
import { createReceiver, KV_REVISION_KEY } from './receiver.js';
import { syncRegistry } from './registry-sync.js';
import {
  activateBundle,
  cleanStaging,
  FLEET_BUNDLE_KEY,
  RULES_VERSION_KEY,
  readBundle,
  type RuleBundle,
  stageBundle,
} from './rules-sync.js';
import { checkSigner, registryFromConfig } from './trust.js';

/** How often the outbox looks for new audit records while connected. */
const PUMP_MS = 50;

/** The agent's identity: the configured id, else the host name made into a valid id. */
export function agentIdOf(config: FleetConfig, hostName: string): string {
  return config.agent.id ?? (hostName.replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[-_]+/, '') || 'agent');
}

/**
 * `leuko run` as a fleet agent: publishes its detections and decisions, enforces the fleet's
 * shared decisions that pass the trust rules, and reports a heartbeat. It defends its host
 * with or without the bus: the pipeline never waits on NATS, and when the bus returns the
 * outbox (the audit log after a committed cursor) and the KV watch catch up.
 */
export const fleetAgentAddon: DaemonAddon = {
  name: 'fleet agent',
  enabled: (config) => config.fleet !== undefined,
  async start(ctx: AddonContext): Promise<RunningAddon> {
    const config = ctx.config.fleet as FleetConfig;
    const self = agentIdOf(config, ctx.hostName);
    const keyFile = config.agent.key_file ?? path.join(ctx.storeDir, 'fleet.key');
    const { key, created } = loadOrCreateFleetKey(keyFile);
    if (created)
      ctx.log('info', `fleet key created in ${keyFile}; enroll this agent with its public key ${key.publicKeyText}`);

    const registry = registryFromConfig(config);
    const hiveKey = config.hive_public_key ? publicKeyFromText(config.hive_public_key) : undefined;
    if (config.hive_public_key && !hiveKey)
      ctx.log('error', 'fleet.hive_public_key is not an Ed25519 public key; the hive registry is ignored');
    const hostAddresses = createHostAddresses();
    const tracker = createQuorumTracker({ windowMs: config.accept.quorum_window * 1000 });
    // The fleet's own hosts: configured ranges plus what enrolled agents advertise in their
    // signed heartbeats, so no fleet decision can ban a member even when the config forgot one.
    // Advertised addresses stay protected for a day after their last mention (member-addresses.ts).
    const advertised = createMemberAddresses();
    let fleetAddresses = createAllowlist(config.fleet_addresses);
    const refreshFleetAddresses = () => {
      fleetAddresses = createAllowlist([...config.fleet_addresses, ...advertised.list(now())]);
    };
    const currentFleetAddresses = () => {
      if (advertised.stale(now())) refreshFleetAddresses();
      return fleetAddresses;
    };
    const now = () => ctx.clock.now();
    const context = (): AcceptContext => ({
      self,
      registry,
      limits: { minPrefixV4: config.accept.min_prefix_v4, minPrefixV6: config.accept.min_prefix_v6 },
      // Re-read each time: the host's addresses change (DHCP, a new interface).
      // The policy in force: the local one plus allowlist additions the hive pushed.
      allowlist: createAllowlist([
        ...(ctx.policy?.settings().allowlist ?? ctx.config.policy.allowlist),
        ...hostAddresses(),
      ]),
      fleetAddresses: currentFleetAddresses(),
      quorum: config.accept.quorum,
      tracker,
      now: now(),
    });
    const receiver = createReceiver({ store: ctx.store, enforcer: ctx.enforcer, context, now, log: ctx.log });
    const outbox = createOutbox({ store: ctx.store, self, key, share: config.share, now });
    const configs = createConfigApplier({
      self,
      store: ctx.store,
      policy: ctx.policy,
      basePolicy: ctx.config.policy,
      hiveKey,
      now,
      log: ctx.log,
    });
    await configs.restore();

    let stopped = false;
    let bus: FleetBus | undefined;
    const watchers: { stop(): void }[] = [];
    const timers: NodeJS.Timeout[] = [];

    // One queue for everything that writes to the store from the bus side: the watch, the
    // outbox and the heartbeat never interleave their commits or cursors.
    let chain: Promise<unknown> = Promise.resolve();
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = chain.then(work, work);
      chain = next.catch(() => undefined);
      return next;
    };

    async function watchDecisions(b: FleetBus) {
      const saved = Number((await ctx.store.loadState(KV_REVISION_KEY)) ?? 0);
      const w = await b.decisions.watch(saved > 0 ? { resumeFromRevision: saved + 1 } : {});
      watchers.push(w);
      (async () => {
        for await (const e of w as AsyncIterable<KvWatchEntry>) {
          await serial(() => receiver.handle(e)).catch((err) =>
            ctx.log('error', 'fleet decision handling failed', { error: String(err), key: e.key }),
          );
        }
      })().catch((err) => ctx.log('error', 'fleet decision watch ended', { error: String(err) }));
    }

    async function watchRegistry(b: FleetBus) {
      watchers.push(await syncRegistry(b.agents, registry, hiveKey, ctx.log));
    }

    // Rule bundles from the hive: the newest of the fleet-wide one and the one addressed to
    // this agent (a canary) is validated with every other scenario, swapped in, and the
    // pipeline reloaded; the heartbeat reports the version (or why it was refused).
    let rulesVersion = Number((await ctx.store.loadState(RULES_VERSION_KEY)) ?? 0);
    let rulesError: string | undefined;
    cleanStaging(ctx.storeDir);
    async function applyBundle(bundle: RuleBundle) {
      if (bundle.version <= rulesVersion) return;
      const { dir, check } = stageBundle(bundle, ctx.storeDir, ctx.settings);
      if (!check.ok) {
        rmSync(dir, { recursive: true, force: true });
        rulesError = `bundle ${bundle.version} refused: ${check.reason}`;
        ctx.log('error', `fleet rules ${rulesError}`);
        await ctx.store.commit({
          audit: [
            {
              kind: 'fleet',
              action: 'fleet.rules-refused',
              subject: `rules:${bundle.version}`,
              actor: 'fleet:hive',
              at: now(),
              data: { reason: check.reason },
            },
          ],
        });
        return;
      }
      activateBundle(dir, ctx.storeDir);
      await ctx.daemon.reload();
      rulesVersion = bundle.version;
      rulesError = undefined;
      await ctx.store.commit({
        state: [{ key: RULES_VERSION_KEY, value: String(bundle.version) }],
        audit: [
          {
            kind: 'config',
            action: 'fleet.rules-applied',
            subject: `rules:${bundle.version}`,
            actor: 'fleet:hive',
            at: now(),
            data: { version: bundle.version, files: Object.keys(bundle.files), scenarios: check.scenarios },
          },
        ],
      });
      ctx.log('info', `fleet rules ${bundle.version} applied (${check.scenarios} scenarios)`);
    }
    async function watchRules(b: FleetBus) {
      // Every key, filtered here: several keys per watch need NATS 2.10, Debian ships 2.9.
      const mine = new Set([FLEET_BUNDLE_KEY, `${FLEET_BUNDLE_KEY}.${self}`]);
      const w = await b.rules.watch();
      watchers.push(w);
      (async () => {
        for await (const e of w as AsyncIterable<KvWatchEntry>) {
          if (configs.wants(e.key)) {
            await serial(() => configs.handle(e)).catch((err) =>
              ctx.log('error', 'fleet config could not be applied', { error: String(err) }),
            );
            continue;
          }
          if (!mine.has(e.key)) continue;
          const bundle = readBundle(e, hiveKey);
          if (!bundle) continue;
          await serial(() => applyBundle(bundle)).catch((err) =>
            ctx.log('error', 'fleet rules could not be applied', { error: String(err) }),
          );
        }
      })().catch((err) => ctx.log('error', 'fleet rules watch ended', { error: String(err) }));
    }

    async function watchMembers(b: FleetBus) {
      const w = await b.status.watch();
      watchers.push(w);
      (async () => {
        for await (const e of w as AsyncIterable<KvWatchEntry>) {
          if (e.operation !== 'PUT') continue;
          const p = parseEnvelope(e.value);
          if (!p.ok || p.envelope.kind !== 'heartbeat' || !checkSigner(registry, p.envelope).ok) continue;
          const addresses = (p.envelope.body as { addresses?: unknown }).addresses;
          if (!Array.isArray(addresses)) continue;
          const valid = addresses.filter((a): a is string => typeof a === 'string' && parseCidr(a) !== undefined);
          if (advertised.record(p.envelope.agent, valid.slice(0, 64), now())) refreshFleetAddresses();
        }
      })().catch((err) => ctx.log('error', 'fleet member watch ended', { error: String(err) }));
    }

    async function heartbeat(b: FleetBus) {
      const stats = ctx.daemon.stats;
      const body = {
        agent: self,
        host: ctx.hostName,
        version: VERSION,
        publicKey: key.publicKeyText,
        lines: stats.lines,
        detections: stats.detections,
        decisions: stats.decisions,
        lastEventTime: stats.lastEventTime,
        // Lag: how far the newest event read trails the wall clock (0 before the first).
        lagMs: stats.lastEventTime > 0 ? Math.max(0, now() - stats.lastEventTime) : 0,
        addresses: hostAddresses(),
        rulesVersion,
        ...(rulesError === undefined ? {} : { rulesError }),
        ...configs.status(),
        // What a canary is judged on: the pipeline keeps reading and nothing failed since start.
        healthy:
          rulesError === undefined &&
          configs.status().configError === undefined &&
          stats.parserErrors === 0 &&
          stats.detectorErrors === 0 &&
          (ctx.enforcer?.status().applyFailures ?? 0) === 0,
      };
      const env = signEnvelope(key, { kind: 'heartbeat', agent: self, at: now(), id: `${self}:hb:${now()}`, body });
      await b.status.put(self, encodeEnvelope(env));
    }

    const connecting = (async () => {
      // waitOnFirstConnect: keeps trying until the bus is there; the host is defended meanwhile.
      const b = await openFleetBus(config, `leuko-agent-${self}`);
      if (stopped) {
        await b.close();
        return;
      }
      bus = b;
      ctx.log('info', `fleet agent ${self} connected to ${config.nats.servers.join(', ')}`);
      await watchRegistry(b);
      await watchMembers(b);
      await watchDecisions(b);
      await watchRules(b);
      let pumping = false;
      timers.push(
        setInterval(() => {
          if (pumping || b.nc.isClosed()) return;
          pumping = true;
          serial(() => outbox.pump(b))
            .catch((err) => ctx.log('warn', 'fleet outbox: publish failed; will retry', { error: String(err) }))
            .finally(() => {
              pumping = false;
            });
        }, PUMP_MS),
      );
      const beat = () => void heartbeat(b).catch(() => undefined);
      beat();
      timers.push(setInterval(beat, config.heartbeat * 1000));
    })().catch((err) => ctx.log('error', 'fleet agent could not join the bus', { error: String(err) }));

    return {
      async stop() {
        stopped = true;
        for (const t of timers) clearInterval(t);
        for (const w of watchers) w.stop();
        await chain.catch(() => undefined);
        if (bus) await bus.close();
        else void connecting;
      },
    };
  },
};
