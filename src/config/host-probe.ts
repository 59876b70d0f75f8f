import { expandFileGlob, isGlob } from '../platform/glob.js';
import { existsSync } from 'node:fs';
import type { HostProbe } from './types.js';

/** The real host: file existence and whether journald can be read. */
export function createHostProbe(): HostProbe {
  return {
    // A pattern (`/var/log/nginx/*access.log`) exists when it names a file now.
    exists: (path) => (isGlob(path) ? expandFileGlob(path).length > 0 : existsSync(path)),
    journaldAvailable:
      existsSync('/run/systemd/journal') && (existsSync('/usr/bin/journalctl') || existsSync('/bin/journalctl')),
  };
}
