import { existsSync } from 'node:fs';
import { expandFileGlob, MAX_GLOB_MATCHES } from '../platform/glob.js';
import { createFileSource } from '../sources/index.js';
import type { DaemonSource } from './daemon.js';

/** A path pattern of the config, as the watcher needs it (see cli/context.ts `SourcePattern`). */
export interface WatchedPattern {
  readonly pattern: string;
  readonly format: string;
  idFor(path: string): string;
}

export interface PatternWatcher {
  /** Look for new and vanished files now (the timer does it every `intervalMs`). */
  scan(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Files a path pattern names after start (a new pod's log in /var/log/containers, a log named by
 * date) are followed from their first line, each as a source of its own. A pattern's file that
 * is gone at two scans in a row (a finished pod) is no longer followed, whether it was there at
 * start or came later, so sources do not pile up on a node that runs pods for months; should it
 * come back, it is a new file, read from its first line. Files the config names one by one are
 * left to their sources, which wait through rotation. At most MAX_GLOB_MATCHES files per pattern.
 */
export function watchSourcePatterns(opts: {
  readonly patterns: readonly WatchedPattern[];
  /** Paths already followed; the watcher adds what it follows. */
  readonly taken: Set<string>;
  /** Files a pattern named at start, followed already: path -> source id. */
  readonly adopted?: ReadonlyMap<string, string>;
  readonly intervalMs: number;
  add(source: DaemonSource): { stop(): Promise<void> };
  /** End a source followed from the start (one of `adopted`). */
  release?(id: string): Promise<unknown>;
  log(level: 'info' | 'warn', message: string): void;
}): PatternWatcher {
  const added = new Map<string, { stop(): Promise<unknown>; missing: number }>();
  const release = opts.release;
  if (release !== undefined)
    for (const [path, id] of opts.adopted ?? []) added.set(path, { stop: () => release(id), missing: 0 });
  const warned = new Set<string>();
  let scanning: Promise<void> | undefined;
  const scanOnce = async () => {
    for (const p of opts.patterns) {
      const files = expandFileGlob(p.pattern);
      for (const path of files) {
        if (opts.taken.has(path)) continue;
        opts.taken.add(path);
        const source = createFileSource({ id: p.idFor(path), path, startAt: 'beginning' });
        added.set(path, { ...opts.add({ source, format: p.format }), missing: 0 });
      }
      if (files.length >= MAX_GLOB_MATCHES && !warned.has(p.pattern)) {
        warned.add(p.pattern);
        opts.log('warn', `${p.pattern} names ${files.length} files or more; the rest are not followed`);
      }
    }
    for (const [path, entry] of added) {
      if (existsSync(path)) {
        entry.missing = 0;
        continue;
      }
      if (++entry.missing < 2) continue;
      added.delete(path);
      opts.taken.delete(path);
      await entry.stop();
    }
  };
  const scan = () => {
    scanning ??= scanOnce().finally(() => {
      scanning = undefined;
    });
    return scanning;
  };
  const timer = setInterval(() => {
    scan().catch((err) => opts.log('warn', `scanning path patterns failed: ${String(err)}`));
  }, opts.intervalMs);
  timer.unref();
  return {
    scan,
    async stop() {
      clearInterval(timer);
      await scanning;
    },
  };
}
