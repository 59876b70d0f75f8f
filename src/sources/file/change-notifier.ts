import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Wakes the tailer when something may have changed for `path`: an inotify event on its
 * directory (fs.watch on the directory, not the file, so renames, creations and deletions of
 * the path are seen, as well as writes to it and to its rotated siblings), or else the poll
 * interval. The poll is always on: fs.watch misses events on NFS, overlay and some container
 * filesystems, and events that fire while we are busy reading must not be lost — a `dirty`
 * flag remembers them until the next wait.
 */
export interface ChangeNotifier {
  /** Resolves at the next change, the next poll tick, or when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void>;
  close(): void;
}

export function createChangeNotifier(path: string, pollIntervalMs: number): ChangeNotifier {
  const dir = dirname(path);
  const base = basename(path);
  let watcher: FSWatcher | null = null;
  let dirty = false;
  let closed = false;
  let wake: (() => void) | null = null;

  function poke(): void {
    dirty = true;
    wake?.();
  }

  function ensureWatcher(): void {
    if (watcher !== null || closed) return;
    try {
      // persistent: false — the watcher alone must not keep the process alive.
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name.startsWith(base)) poke();
      });
      watcher.on('error', () => {
        // The directory itself went away (or the watch limit was hit): fall back to polling
        // and try again at the next wait.
        watcher?.close();
        watcher = null;
        poke();
      });
    } catch {
      watcher = null;
    }
  }

  return {
    wait(signal) {
      ensureWatcher();
      if (dirty || signal.aborted) {
        dirty = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = null;
          dirty = false;
          resolve();
        };
        const timer = setTimeout(done, pollIntervalMs);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      });
    },
    close() {
      closed = true;
      watcher?.close();
      watcher = null;
      wake?.();
    },
  };
}
