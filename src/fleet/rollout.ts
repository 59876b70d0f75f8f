import type { FleetBus } from './bus.js';
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
  readonly healthy?: boolean;
}

async function heartbeatOf(bus: FleetBus, agent: string): Promise<{ at: number; body: Heartbeat } | undefined> {
  const e = await bus.status.get(agent);
  if (e?.operation !== 'PUT') return undefined;
  const p = parseEnvelope(e.value);
  return p.ok && p.envelope.agent === agent ? { at: p.envelope.at, body: p.envelope.body as Heartbeat } : undefined;
}

async function currentFleetBundle(bus: FleetBus): Promise<RuleBundle> {
  const e = await bus.rules.get(FLEET_BUNDLE_KEY);
  const p = e && e.operation === 'PUT' ? parseEnvelope(e.value) : undefined;
  return p?.ok ? (p.envelope.body as RuleBundle) : { version: 0, files: {} };
}

/**
 * A rolling canary for fleet-wide rules: the bundle goes to one agent first; only once that
 * agent reports the new version AND a healthy pipeline in a heartbeat signed after the push does
 * the rest of the fleet get it. A canary that refuses the bundle, turns unhealthy or stays
 * silent until the timeout is rolled back to the fleet's current rules (under a newer version,
 * since agents never go back to an older one), and the fleet never sees the bad bundle.
 */
export async function rollOut(deps: {
  bus: FleetBus;
  files: Readonly<Record<string, string>>;
  canary?: string;
  timeoutMs: number;
  sign(bundle: RuleBundle): Uint8Array;
  now(): number;
  pollMs?: number;
}): Promise<RolloutResult> {
  const version = deps.now();
  const bundle: RuleBundle = { version, files: deps.files };
  if (deps.canary) {
    const canary = deps.canary;
    const pushedAt = deps.now();
    await deps.bus.rules.put(`${FLEET_BUNDLE_KEY}.${canary}`, deps.sign(bundle));
    const deadline = pushedAt + deps.timeoutMs;
    let last: Heartbeat | undefined;
    let verdict: 'healthy' | 'refused' | 'unhealthy' | 'timeout' = 'timeout';
    while (deps.now() < deadline) {
      const hb = await heartbeatOf(deps.bus, canary);
      if (hb && hb.at >= pushedAt) {
        last = hb.body;
        if (hb.body.rulesError?.startsWith(`bundle ${version} `)) {
          verdict = 'refused';
          break;
        }
        if (hb.body.rulesVersion === version) {
          verdict = hb.body.healthy === false ? 'unhealthy' : 'healthy';
          break;
        }
      }
      await new Promise((r) => setTimeout(r, deps.pollMs ?? 250));
    }
    if (verdict !== 'healthy') {
      const previous = await currentFleetBundle(deps.bus);
      await deps.bus.rules.put(
        `${FLEET_BUNDLE_KEY}.${canary}`,
        deps.sign({ version: deps.now(), files: previous.files }),
      );
      const why =
        verdict === 'refused'
          ? `refused it: ${last?.rulesError}`
          : verdict === 'unhealthy'
            ? 'applied it but reported an unhealthy pipeline'
            : `did not report it within ${Math.round(deps.timeoutMs / 1000)} s`;
      return {
        ok: false,
        version,
        canary,
        message: `canary ${canary} ${why}; rolled back to the fleet's rules (version ${previous.version}); the fleet was not changed`,
      };
    }
  }
  await deps.bus.rules.put(FLEET_BUNDLE_KEY, deps.sign(bundle));
  const files = Object.keys(deps.files).length;
  return {
    ok: true,
    version,
    ...(deps.canary ? { canary: deps.canary } : {}),
    message: `rules version ${version} (${files} file${files === 1 ? '' : 's'}) pushed to the fleet${deps.canary ? ` after canary ${deps.canary} applied it and stayed healthy` : ''}`,
  };
}
