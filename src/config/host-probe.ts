import { existsSync } from 'node:fs';
import type { HostProbe } from './types.js';

/** The real host: file existence and whether journald can be read. */
export function createHostProbe(): HostProbe {
  return {
    exists: (path) => existsSync(path),
    journaldAvailable:
      existsSync('/run/systemd/journal') && (existsSync('/usr/bin/journalctl') || existsSync('/bin/journalctl')),
  };
}
