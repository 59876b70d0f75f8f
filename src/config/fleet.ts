import { z } from 'zod';
import { duration, nonEmpty } from './fields.js';

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

const agentId = (description: string) =>
  z
    .string()
    .regex(AGENT_ID, 'an agent id is letters, digits, `-` and `_` (at most 63), starting with a letter or digit')
    .meta({ description });

/** An agent the config trusts directly (besides the hive's signed registry). */
const trustedAgent = z.strictObject({
  id: agentId('Agent id, as it signs its messages'),
  public_key: nonEmpty('Its Ed25519 public key (base64 of 32 bytes; `leuko fleet keygen` prints it)', 'MCowBQ...'),
  scopes: z
    .array(z.enum(['ip', 'range']))
    .default(['ip'])
    .meta({ description: 'Scopes whose decisions from this agent are acted on without a quorum' }),
});

/**
 * `fleet:` — join a fleet over NATS JetStream. Absent: Leuko runs alone and nothing changes.
 *
 * @example
 * fleet:
 *   nats: { servers: ["nats://10.0.0.5:4222"] }
 *   agent: { id: web1, key_file: /var/lib/leuko/fleet.key }
 *   hive_public_key: "q5n3...="
 */
export const fleetSchema = z
  .strictObject({
    nats: z.strictObject({
      servers: z
        .array(nonEmpty('NATS server URL', 'nats://127.0.0.1:4222'))
        .min(1)
        .meta({ description: 'NATS servers (JetStream enabled); several for a cluster' }),
      user: z.string().optional().meta({ description: 'NATS user (with `pass`)' }),
      pass: z.string().optional().meta({ description: 'NATS password (redacted in the API)' }),
      token: z.string().optional().meta({ description: 'NATS token (redacted in the API)' }),
      creds_file: z.string().optional().meta({ description: 'NATS credentials file (JWT + nkey seed)' }),
      nkey_seed_file: z.string().optional().meta({ description: 'File holding an nkey seed (SU...)' }),
      tls: z
        .strictObject({
          ca_file: z.string().optional(),
          cert_file: z.string().optional(),
          key_file: z.string().optional(),
        })
        .optional()
        .meta({ description: 'TLS to the NATS servers' }),
    }),
    agent: z
      .strictObject({
        id: agentId('This agent\u2019s id in the fleet (default: the host name)').optional(),
        key_file: z
          .string()
          .optional()
          .meta({ description: 'Ed25519 private key (PEM); created in the store directory when absent' }),
      })
      .prefault({}),
    hive_public_key: z
      .string()
      .optional()
      .meta({ description: 'The hive\u2019s public key: its signed registry says which agents to trust' }),
    agents: z.array(trustedAgent).default([]).meta({ description: 'Agents trusted directly by this config' }),
    share: z
      .strictObject({
        decisions: z.boolean().default(true).meta({ description: 'Share this host\u2019s ban decisions' }),
        detections: z.boolean().default(true).meta({ description: 'Publish detections for the hive' }),
      })
      .prefault({}),
    accept: z
      .strictObject({
        min_prefix_v4: z.number().int().min(1).max(32).default(24).meta({
          description: 'Widest IPv4 range a fleet ban may cover (never 0.0.0.0/0)',
        }),
        min_prefix_v6: z.number().int().min(1).max(128).default(48).meta({
          description: 'Widest IPv6 range a fleet ban may cover (never ::/0)',
        }),
        quorum: z.number().int().min(0).max(100).default(0).meta({
          description:
            'Distinct agents that must report an entity before a decision from an agent not trusted for its scope is acted on (0: never)',
        }),
        quorum_window: duration('How long reports count towards a quorum', { min: 1 }).default(3600),
      })
      .prefault({}),
    fleet_addresses: z
      .array(z.string())
      .default([])
      .meta({ description: 'The fleet\u2019s own addresses and ranges: no fleet decision may ban them' }),
    heartbeat: duration('How often the agent reports its status to the hive', { min: 1 }).default(5),
    retention: duration('How long the bus keeps fleet events', { min: 60 }).default(7 * 86400),
    hive: z
      .strictObject({
        store_url: nonEmpty('PostgreSQL URL of the hive store', 'postgres://leuko@127.0.0.1/leuko'),
        schema: z.string().default('leuko').meta({ description: 'PostgreSQL schema of the hive store' }),
        key_file: z.string().optional().meta({ description: 'The hive\u2019s Ed25519 private key (PEM)' }),
        correlation_window: duration('Window for fleet-wide correlation', { min: 1 }).default(3600),
      })
      .optional()
      .meta({ description: 'Settings used by `leuko hive`' }),
  })
  .optional();
