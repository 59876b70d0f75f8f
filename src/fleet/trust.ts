import type { KeyObject } from 'node:crypto';
import type { EntityType } from '../core/entity.js';
import { type Envelope, publicKeyFromText, verifyEnvelope } from './envelope.js';

/** An enrolled agent, as the hive's signed registry (or the static config) describes it. */
export interface AgentRecord {
  readonly agent: string;
  /** base64 raw Ed25519 public key. */
  readonly publicKey: string;
  /** Scopes this agent's decisions are acted on without a quorum (`ip`, `range`); empty: none. */
  readonly trustedScopes: readonly EntityType[];
  readonly revoked: boolean;
  /** Wall-clock ms of enrollment or of the last change. */
  readonly updatedAt: number;
}

/**
 * Who may speak for the fleet. Entries come from the config (`fleet.agents`) and from the hive's
 * registry; a revoked entry from either wins, so revoking on the hive cuts an agent off even
 * where a config still lists it.
 */
export interface TrustRegistry {
  get(agent: string): (AgentRecord & { readonly key: KeyObject }) | undefined;
  /** Add or replace an entry; returns false for an unusable key. */
  put(record: AgentRecord): boolean;
  list(): readonly AgentRecord[];
}

export function createTrustRegistry(initial: readonly AgentRecord[] = []): TrustRegistry {
  const entries = new Map<string, AgentRecord & { key: KeyObject }>();
  const revokedForever = new Set<string>();
  const registry: TrustRegistry = {
    get: (agent) => (revokedForever.has(agent) ? undefined : entries.get(agent)),
    put(record) {
      if (record.revoked) {
        revokedForever.add(record.agent);
        entries.delete(record.agent);
        return true;
      }
      const key = publicKeyFromText(record.publicKey);
      if (!key) return false;
      const old = entries.get(record.agent);
      // The newer word wins: an older registry entry replayed from the bus must not undo a change.
      if (old && old.updatedAt > record.updatedAt) return true;
      entries.set(record.agent, { ...record, key });
      return true;
    },
    list: () => [...entries.values()].map(({ key: _k, ...r }) => r),
  };
  for (const r of initial) registry.put(r);
  return registry;
}

/** The result of checking who signed a message. */
export type SignerCheck =
  | { readonly ok: true; readonly record: AgentRecord }
  | { readonly ok: false; readonly reason: string };

/** Is the envelope signed by the enrolled key of the agent it names? */
export function checkSigner(registry: TrustRegistry, e: Envelope): SignerCheck {
  const record = registry.get(e.agent);
  if (!record) return { ok: false, reason: `unknown or revoked signer ${JSON.stringify(e.agent)}` };
  if (!verifyEnvelope(e, record.key)) return { ok: false, reason: `forged signature: not signed by ${e.agent}'s key` };
  return { ok: true, record };
}

/** Verify a hive-signed registry entry before it changes whom we trust. */
export function checkHiveSigned(hiveKey: KeyObject | undefined, e: Envelope): boolean {
  return hiveKey !== undefined && e.agent === 'hive' && verifyEnvelope(e, hiveKey);
}

/**
 * The registry a config starts with: the agents it trusts directly (`fleet.agents`); the
 * hive-signed entries on the bus are added by `syncRegistry`. Agents, the hive and the CLI
 * all start from this.
 */
export function registryFromConfig(config: {
  readonly agents: readonly {
    readonly id: string;
    readonly public_key: string;
    readonly scopes: readonly EntityType[];
  }[];
}): TrustRegistry {
  return createTrustRegistry(
    config.agents.map(
      (a): AgentRecord => ({
        agent: a.id,
        publicKey: a.public_key,
        trustedScopes: [...a.scopes],
        revoked: false,
        updatedAt: 0,
      }),
    ),
  );
}
