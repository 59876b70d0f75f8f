import type { FleetBus } from './bus.js';
import { type ConfigPush, FLEET_CONFIG_KEY } from './config-push.js';
import { parseEnvelope } from './envelope.js';
import { FLEET_BUNDLE_KEY, type RuleBundle } from './rules-sync.js';

export interface RolloutResult {
  readonly ok: boolean;
  readonly version: number;
  readonly canary?: string;
  readonly message: string;
}

interface Heartbeat {
  readonly rulesVersion?: number;
  readonly rulesError?: string;
  readonly configVersion?: number;
  readonly configError?: string;
  readonly healthy?: boolean;
}

async function heartbeatOf(bus: FleetBus, agent: string): Promise<{ at: number; body: Heartbeat } | undefined> {
  const e = await bus.status.get(agent);
  if (e?.operation !== 'PUT') return undefined;
  const p = parseEnvelope(e.value);
  return p.ok && p.envelope.agent === agent ? { at: p.envelope.at, body: p.envelope.body as Heartbeat } : undefined;
}

async function currentFleetBody<T>(bus: FleetBus, key: string, none: T): Promise<T> {
  const e = await bus.rules.get(key);
  const p = e && e.operation === 'PUT' ? parseEnvelope(e.value) : undefined;
  return p?.ok ? (p.envelope.body as T) : none;
}

/** What differs between rolling out rules and rolling out config. */
interface Rollable<T extends { readonly version: number }> {
  /** Bucket key for the fleet; `<key>.<agent>` addresses a canary. */
  readonly key: string;
  /** The version and error the heartbeat reports for this kind of push. */
  versionOf(hb: Heartbeat): number | undefined;
  errorOf(hb: Heartbeat): string | undefined;
  /** The error prefix an agent reports when it refuses `version`. */
  refusedPrefix(version: number): string;
  /** The same content as `body` under a newer version (agents never go back to an older one). */
  reissue(body: T, version: number): T;
  /** What the fleet runs when nothing was ever pushed. */
  readonly none: T;
  readonly what: string;
}

/**
 * A rolling canary for anything the hive pushes: it goes to one agent first; only once that
 * agent reports the new version AND a healthy pipeline in a heartbeat signed after the push does
 * the rest of the fleet get it. A canary that refuses it, turns unhealthy or stays silent until
 * the timeout is rolled back to what the fleet runs (under a newer version), and the fleet
 * never sees the bad push.
 */
async function rollOutPush<T extends { readonly version: number }>(
  kind: Rollable<T>,
  body: T,
  deps: {
    bus: FleetBus;
    canary?: string;
    timeoutMs: number;
    sign(body: T): Uint8Array;
    now(): number;
    pollMs?: number;
  },
): Promise<RolloutResult | { ok: true; version: number; canary?: string }> {
  const version = body.version;
  if (!deps.canary) {
    await deps.bus.rules.put(kind.key, deps.sign(body));
    return { ok: true, version };
  }
  const canary = deps.canary;
  const pushedAt = deps.now();
  await deps.bus.rules.put(`${kind.key}.${canary}`, deps.sign(body));
  const deadline = pushedAt + deps.timeoutMs;
  let last: Heartbeat | undefined;
  let verdict: 'healthy' | 'refused' | 'unhealthy' | 'timeout' = 'timeout';
  while (deps.now() < deadline) {
    const hb = await heartbeatOf(deps.bus, canary);
    if (hb && hb.at >= pushedAt) {
      last = hb.body;
      if (kind.errorOf(hb.body)?.startsWith(kind.refusedPrefix(version))) {
        verdict = 'refused';
        break;
      }
      if (kind.versionOf(hb.body) === version) {
        verdict = hb.body.healthy === false ? 'unhealthy' : 'healthy';
        break;
      }
    }
    await new Promise((r) => setTimeout(r, deps.pollMs ?? 250));
  }
  if (verdict !== 'healthy') {
    const previous = await currentFleetBody(deps.bus, kind.key, kind.none);
    await deps.bus.rules.put(`${kind.key}.${canary}`, deps.sign(kind.reissue(previous, deps.now())));
    const why =
      verdict === 'refused'
        ? `refused it: ${last ? kind.errorOf(last) : ''}`
        : verdict === 'unhealthy'
          ? 'applied it but reported an unhealthy pipeline'
          : `did not report it within ${Math.round(deps.timeoutMs / 1000)} s`;
    return {
      ok: false,
      version,
      canary,
      message: `canary ${canary} ${why}; rolled back to the fleet's ${kind.what} (version ${previous.version}); the fleet was not changed`,
    };
  }
  await deps.bus.rules.put(kind.key, deps.sign(body));
  return { ok: true, version, canary };
}

const RULES: Rollable<RuleBundle> = {
  key: FLEET_BUNDLE_KEY,
  versionOf: (hb) => hb.rulesVersion,
  errorOf: (hb) => hb.rulesError,
  refusedPrefix: (v) => `bundle ${v} `,
  reissue: (b, version) => ({ version, files: b.files }),
  none: { version: 0, files: {} },
  what: 'rules',
};

const CONFIG: Rollable<ConfigPush> = {
  key: FLEET_CONFIG_KEY,
  versionOf: (hb) => hb.configVersion,
  errorOf: (hb) => hb.configError,
  refusedPrefix: (v) => `config ${v} `,
  reissue: (c, version) => ({ version, fragment: c.fragment }),
  // Nothing pushed yet: an empty fragment puts each agent's own policy back.
  none: { version: 0, fragment: { policy: {} } },
  what: 'config',
};

/** Roll a rule bundle out (see `rollOutPush`). */
export async function rollOut(deps: {
  bus: FleetBus;
  files: Readonly<Record<string, string>>;
  canary?: string;
  timeoutMs: number;
  sign(bundle: RuleBundle): Uint8Array;
  now(): number;
  pollMs?: number;
}): Promise<RolloutResult> {
  const r = await rollOutPush(RULES, { version: deps.now(), files: deps.files }, deps);
  if ('message' in r) return r;
  const files = Object.keys(deps.files).length;
  return {
    ...r,
    message: `rules version ${r.version} (${files} file${files === 1 ? '' : 's'}) pushed to the fleet${deps.canary ? ` after canary ${deps.canary} applied it and stayed healthy` : ''}`,
  };
}

/** Roll a config fragment (`{ policy: {...} }`) out (see `rollOutPush`). */
export async function rollOutConfig(deps: {
  bus: FleetBus;
  fragment: ConfigPush['fragment'];
  canary?: string;
  timeoutMs: number;
  sign(push: ConfigPush): Uint8Array;
  now(): number;
  pollMs?: number;
}): Promise<RolloutResult> {
  const r = await rollOutPush(CONFIG, { version: deps.now(), fragment: deps.fragment }, deps);
  if ('message' in r) return r;
  return {
    ...r,
    message: `config version ${r.version} (policy: ${Object.keys(deps.fragment.policy).join(', ') || 'local'}) pushed to the fleet${deps.canary ? ` after canary ${deps.canary} applied it and stayed healthy` : ''}`,
  };
}
