import type { Command } from 'commander';
import { mutableCopy } from '../../core/mutable.js';
import { type HealFiles, openHealFiles } from '../../healing/heal-dirs.js';
import { loadRuntime, type Runtime, type RuntimeOptions } from '../context.js';
import { openStoreAt } from '../runtime-store.js';
import { fail } from '../output.js';

/** The runtime and heal files for a command; undefined (after a message) when `protect:` is missing. */
export function healRuntime(cmd: Command): { runtime: Runtime; files: HealFiles } | undefined {
  const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
  if (!runtime) return undefined;
  const protect = runtime.config.protect;
  if (!protect) {
    fail('no protect: section in the configuration; add protect.paths (see README, Healing)', 2);
    return undefined;
  }
  return { runtime, files: openHealFiles(runtime.storeDir, mutableCopy(protect)) };
}

/** Append operator audit records to the store (one commit). */
export async function auditOperator(
  runtime: Runtime,
  records: { action: string; subject: string; actor: string; data: unknown }[],
): Promise<void> {
  const store = await openStoreAt(runtime.storeDir);
  try {
    await store.commit({ audit: records.map((r) => ({ kind: 'operator' as const, at: Date.now(), ...r })) });
  } finally {
    await store.close();
  }
}
