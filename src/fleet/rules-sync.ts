import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { KvWatchEntry } from '@nats-io/kv';
import { loadConfiguredScenarios } from '../pipeline/assemble.js';
import type { PipelineSettings } from '../pipeline/settings.js';
import { parseEnvelope } from './envelope.js';
import { checkHiveSigned } from './trust.js';

/** Signed rule bundles: `bundle` for the whole fleet, `bundle.<agent>` for a canary. */
export const FLEET_BUNDLE_KEY = 'bundle';
export const RULES_VERSION_KEY = 'fleet-rules-version';

/** Scenario files the hive pushes; `version` orders bundles (newer wins). */
export interface RuleBundle {
  readonly version: number;
  readonly files: Readonly<Record<string, string>>;
}

export function fleetRulesDir(storeDir: string): string {
  return path.join(storeDir, 'fleet-rules');
}

/** The pipeline settings of an agent: its own scenario folders plus the fleet's rules folder. */
export function withFleetRules(settings: PipelineSettings, storeDir: string): PipelineSettings {
  const dir = fleetRulesDir(storeDir);
  mkdirSync(dir, { recursive: true });
  return { ...settings, scenarios: { ...settings.scenarios, dirs: [...settings.scenarios.dirs, dir] } };
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}\.ya?ml$/;

export type BundleCheck = { ok: true; scenarios: number } | { ok: false; reason: string };

/**
 * Write a bundle to a staging folder and load it with every other scenario the agent runs: a
 * bundle that does not load (bad YAML, a name clashing with a built-in) is refused before it
 * can replace working rules. File names are checked so a bundle cannot write outside its folder.
 */
export function stageBundle(
  bundle: RuleBundle,
  storeDir: string,
  settings: PipelineSettings,
): { dir: string; check: BundleCheck } {
  const dir = mkdtempSync(path.join(storeDir, '.fleet-rules-'));
  for (const [name, text] of Object.entries(bundle.files)) {
    if (!SAFE_NAME.test(name))
      return { dir, check: { ok: false, reason: `unsafe rule file name ${JSON.stringify(name)}` } };
    writeFileSync(path.join(dir, name), text);
  }
  const live = fleetRulesDir(storeDir);
  try {
    const scenarios = loadConfiguredScenarios({
      ...settings.scenarios,
      dirs: [...settings.scenarios.dirs.filter((d) => d !== live), dir],
    });
    return { dir, check: { ok: true, scenarios: scenarios.length } };
  } catch (err) {
    return { dir, check: { ok: false, reason: (err as Error).message.split('\n').slice(0, 4).join(' ') } };
  }
}

/** Swap the staged folder in (rename is atomic; the old folder goes after). */
export function activateBundle(staged: string, storeDir: string): void {
  const live = fleetRulesDir(storeDir);
  const old = `${live}.old-${process.pid}-${Date.now()}`;
  renameSync(live, old);
  renameSync(staged, live);
  rmSync(old, { recursive: true, force: true });
}

export function readBundle(e: KvWatchEntry, hiveKey: KeyObject | undefined): RuleBundle | undefined {
  if (e.operation !== 'PUT') return undefined;
  const p = parseEnvelope(e.value);
  if (!p.ok || p.envelope.kind !== 'rules' || !checkHiveSigned(hiveKey, p.envelope)) return undefined;
  const b = p.envelope.body as RuleBundle;
  if (typeof b?.version !== 'number' || typeof b.files !== 'object' || b.files === null) return undefined;
  return b;
}

/** Remove staging folders a crash left behind. */
export function cleanStaging(storeDir: string): void {
  for (const name of readdirSync(storeDir)) {
    if (name.startsWith('.fleet-rules-') || name.startsWith('fleet-rules.old-')) {
      rmSync(path.join(storeDir, name), { recursive: true, force: true });
    }
  }
}
