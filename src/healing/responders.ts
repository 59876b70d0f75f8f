import type { LeukoConfig } from '../config/index.js';
import { mutableCopy } from '../core/mutable.js';
import type { Responder } from '../core/responder.js';
import { createPostureFixResponder } from '../responders/posture-fix/index.js';
import { createProcessResponder } from '../responders/process/index.js';
import { createRestartServiceResponder } from '../responders/restart-service/index.js';
import { createRestoreFileResponder } from '../responders/restore-file/index.js';
import { openHealFiles } from './heal-dirs.js';

/**
 * The responders healing needs, enabled by the `protect:` section alone: restore-file,
 * restart-service, posture-fix and (unless a `process` responder is configured) one to freeze a
 * ransomware-like writer. Policy still decides: in observe mode none of them runs.
 */
export function healResponders(config: LeukoConfig, storeDir: string, selfPid: number): Responder[] {
  const protect = config.protect;
  if (!protect) return [];
  const files = openHealFiles(storeDir, mutableCopy(protect));
  const out: Responder[] = [
    createRestoreFileResponder(files),
    createRestartServiceResponder(mutableCopy(protect.services), files),
    createPostureFixResponder(files),
  ];
  if (!config.responders.some((r) => r.type === 'process')) out.push(createProcessResponder({ selfPid }));
  return out;
}
