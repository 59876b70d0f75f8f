import { readFileSync } from 'node:fs';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import {
  type Authenticator,
  connect,
  credsAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
  nkeyAuthenticator,
} from '@nats-io/transport-node';
import type { LeukoConfig } from '../config/index.js';

/** One stream for everything agents report; subjects carry the host and the kind. */
export const FLEET_STREAM = 'LEUKO_FLEET';
export const FLEET_SUBJECTS = 'leuko.fleet.>';
/** Shared decisions: one key per (entity, reporting agent), so quorum can count reporters. */
export const DECISIONS_BUCKET = 'leuko_decisions';
/** The hive's signed registry of enrolled agents. */
export const AGENTS_BUCKET = 'leuko_agents';
/** Agents' heartbeats: last seen, version, lag. */
export const STATUS_BUCKET = 'leuko_status';
/** Hive-signed rule bundles (see rules-sync.ts). */
export const RULES_BUCKET = 'leuko_rules';

export type FleetConfig = NonNullable<LeukoConfig['fleet']>;

export function subjectFor(agent: string, kind: string): string {
  return `leuko.fleet.${agent}.${kind}`;
}

/** KV keys allow `[-/_=.a-zA-Z0-9]`: addresses (`:` in IPv6, `/` in ranges) go hex-encoded. */
export function decisionKey(scope: string, value: string, agent: string): string {
  return `d.${scope}.${Buffer.from(value, 'utf8').toString('hex')}.${agent}`;
}

export interface FleetBus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly decisions: KV;
  readonly agents: KV;
  readonly status: KV;
  readonly rules: KV;
  close(): Promise<void>;
}

/** Connection options from the `fleet.nats` section; reconnects forever (agents ride out partitions). */
export function natsOptions(config: FleetConfig, name: string): NodeConnectionOptions {
  const n = config.nats;
  const authenticator: Authenticator[] = [];
  if (n.creds_file) authenticator.push(credsAuthenticator(readFileSync(n.creds_file)));
  // The seed goes in as bytes: a string is not decoded as a seed (the connection fails on it).
  if (n.nkey_seed_file)
    authenticator.push(nkeyAuthenticator(new TextEncoder().encode(readFileSync(n.nkey_seed_file, 'utf8').trim())));
  return {
    servers: [...n.servers],
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // A partition shows within a couple of seconds, not the default two minutes.
    pingInterval: 2000,
    maxPingOut: 2,
    waitOnFirstConnect: true,
    ...(n.user === undefined ? {} : { user: n.user }),
    ...(n.pass === undefined ? {} : { pass: n.pass }),
    ...(n.token === undefined ? {} : { token: n.token }),
    ...(authenticator.length > 0 ? { authenticator } : {}),
    ...(n.tls
      ? {
          tls: {
            ...(n.tls.ca_file ? { caFile: n.tls.ca_file } : {}),
            ...(n.tls.cert_file ? { certFile: n.tls.cert_file } : {}),
            ...(n.tls.key_file ? { keyFile: n.tls.key_file } : {}),
          },
        }
      : {}),
  };
}

/**
 * Connect and make sure the stream and buckets exist (idempotent: every agent and the hive may
 * be first). Retention is bounded by age and size; duplicates of one message id within two
 * minutes are dropped by the server, so a re-send after a reconnect is harmless.
 */
export async function openFleetBus(config: FleetConfig, name: string): Promise<FleetBus> {
  const nc = await connect(natsOptions(config, name));
  try {
    const jsm = await jetstreamManager(nc);
    const maxAgeNs = config.retention * 1_000_000_000;
    const streamConfig = {
      name: FLEET_STREAM,
      subjects: [FLEET_SUBJECTS],
      max_age: maxAgeNs,
      max_bytes: 1024 * 1024 * 1024,
      duplicate_window: 120 * 1_000_000_000,
    };
    try {
      await jsm.streams.info(FLEET_STREAM);
    } catch {
      await jsm.streams.add(streamConfig);
    }
    const js = jetstream(nc);
    const kvm = new Kvm(js);
    const ttl = config.retention * 1000;
    const decisions = await kvm.create(DECISIONS_BUCKET, { history: 1, ttl, max_bytes: 256 * 1024 * 1024 });
    const agents = await kvm.create(AGENTS_BUCKET, { history: 5 });
    const status = await kvm.create(STATUS_BUCKET, { history: 1, ttl: 7 * 86_400_000 });
    const rules = await kvm.create(RULES_BUCKET, { history: 5 });
    return {
      nc,
      js,
      decisions,
      agents,
      status,
      rules,
      close: async () => {
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
