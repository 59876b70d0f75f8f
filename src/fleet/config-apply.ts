import type { KeyObject } from 'node:crypto';
import type { KvWatchEntry } from '@nats-io/kv';
import type { LeukoConfig } from '../config/index.js';
import type { Store } from '../core/store.js';
import type { SwappablePolicyEngine } from '../policy/swappable.js';
import {
  CONFIG_FRAGMENT_KEY,
  CONFIG_VERSION_KEY,
  type ConfigPush,
  checkConfigPush,
  FLEET_CONFIG_KEY,
  readConfigPush,
} from './config-push.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/** What the heartbeat reports, so a rolling canary can judge the push. */
export interface ConfigStatus {
  readonly configVersion: number;
  readonly configError?: string;
  readonly policyMode: string;
}

/**
 * The agent's side of pushed config: a push addressed to the fleet (`config`) or to this agent
 * (`config.<agent>`, a canary) is applied only if the hive signed it, it is newer than the one
 * in force, and the agent's policy with it merged passes the config validator. Refusals and
 * applications are audited; the heartbeat carries the version or the refusal. The fragment in
 * force is kept in the store and re-applied at start.
 */
export function createConfigApplier(deps: {
  self: string;
  store: Store;
  policy: SwappablePolicyEngine | undefined;
  basePolicy: LeukoConfig['policy'];
  hiveKey: KeyObject | undefined;
  now(): number;
  log: Log;
}) {
  let version = 0;
  let error: string | undefined;
  const keys = new Set([FLEET_CONFIG_KEY, `${FLEET_CONFIG_KEY}.${deps.self}`]);

  /**
   * Audit a refusal. Only a hive-signed push the agent cannot apply is reported in the heartbeat
   * (the canary's verdict); an unsigned or unreadable one is someone else's message, and must
   * not let its sender mark the agent unhealthy.
   */
  async function refuse(subject: string, reason: string, data: Record<string, unknown> = {}, report = true) {
    if (report) error = `${subject} refused: ${reason}`;
    deps.log('error', `fleet ${subject} refused: ${reason}`);
    await deps.store.commit({
      audit: [
        {
          kind: 'fleet',
          action: 'fleet.config-refused',
          subject,
          actor: 'fleet:hive',
          at: deps.now(),
          data: { reason, ...data },
        },
      ],
    });
  }

  async function apply(push: ConfigPush): Promise<void> {
    const subject = `config ${push.version}`;
    if (!deps.policy) return refuse(subject, 'this agent runs without an enforcer; nothing to apply the policy to');
    const check = checkConfigPush(deps.basePolicy, push.fragment);
    if (!check.ok) return refuse(subject, check.reason, { fragment: push.fragment });
    deps.policy.replace(check.settings);
    version = push.version;
    error = undefined;
    await deps.store.commit({
      state: [
        { key: CONFIG_VERSION_KEY, value: String(push.version) },
        { key: CONFIG_FRAGMENT_KEY, value: JSON.stringify(push) },
      ],
      audit: [
        {
          kind: 'config',
          action: 'fleet.config-applied',
          subject,
          actor: 'fleet:hive',
          at: deps.now(),
          data: { version: push.version, fragment: push.fragment, mode: check.policy.mode },
        },
      ],
    });
    deps.log('info', `fleet config ${push.version} applied (policy mode ${check.policy.mode})`);
  }

  return {
    /** Is this bucket key a config push for this agent? */
    wants: (key: string) => keys.has(key),

    /** Put the fragment in force at the last stop back in force (it was valid then; re-checked). */
    async restore(): Promise<void> {
      const saved = await deps.store.loadState(CONFIG_FRAGMENT_KEY);
      if (!saved || !deps.policy) return;
      try {
        const push = JSON.parse(saved) as ConfigPush;
        const check = checkConfigPush(deps.basePolicy, push.fragment);
        if (!check.ok) return void deps.log('error', `fleet config ${push.version} no longer valid: ${check.reason}`);
        deps.policy.replace(check.settings);
        version = push.version;
      } catch (err) {
        deps.log('error', 'fleet config in the store is unreadable; running on the local policy', {
          error: String(err),
        });
      }
    },

    async handle(e: KvWatchEntry): Promise<void> {
      const read = readConfigPush(e, deps.hiveKey);
      if (!read) return;
      if ('malformed' in read) return refuse(`config ${e.key}`, read.malformed, { key: e.key }, false);
      if (!read.signed)
        return refuse(`config ${read.push.version}`, 'not signed by the hive key', { key: e.key }, false);
      if (read.push.version <= version) return;
      await apply(read.push);
    },

    status: (): ConfigStatus => ({
      configVersion: version,
      ...(error === undefined ? {} : { configError: error }),
      policyMode: deps.policy?.settings().mode ?? deps.basePolicy.mode,
    }),
  };
}
