import { startStamper } from './stamper.js';

export interface WatchedLine {
  readonly file: string;
  readonly line: string;
  /** When the watcher saw the line appear in the file (labNow clock). */
  readonly at: number;
}

export interface LogWatch {
  /** Lines mentioning `addr` (as a whole address: 10.77.5.1 does not match 10.77.5.10). */
  linesFrom(addr: string, since?: number, until?: number): WatchedLine[];
  firstFrom(addr: string, since?: number): WatchedLine | undefined;
  /** Resolves once whatever the files hold right now has been read (it also reads on inotify events and every `pollMs`). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether `line` names `addr` with no digit or dot glued to either side. */
export function mentions(line: string, addr: string): boolean {
  let i = line.indexOf(addr);
  while (i >= 0) {
    const before = i === 0 ? 32 : line.charCodeAt(i - 1);
    const after = line.charCodeAt(i + addr.length);
    const glued = (c: number) => (c >= 48 && c <= 57) || c === 46;
    if (!glued(before) && (Number.isNaN(after) || !glued(after))) return true;
    i = line.indexOf(addr, i + 1);
  }
  return false;
}

/**
 * Tail the victim's log files from their current end and timestamp each new line when it
 * appears: the "first malicious line" clock for time-to-contain. The reading and stamping
 * happen in a worker thread (see stamper.ts): inotify wakes it at once, a short poll is the
 * fallback, and the lab's busy main thread cannot delay the stamps.
 */
export async function createLogWatch(files: readonly string[], pollMs = 5): Promise<LogWatch> {
  const lines: WatchedLine[] = [];
  const stamper = await startStamper({ files, pollMs });
  stamper.onLines((batch) => {
    for (const l of batch) lines.push({ file: l.source, line: l.line, at: l.at });
  });
  return {
    flush: () => stamper.flush(),
    linesFrom(addr, since = 0, until = Number.POSITIVE_INFINITY) {
      return lines.filter((l) => l.at >= since && l.at <= until && mentions(l.line, addr));
    },
    firstFrom(addr, since = 0) {
      return lines.find((l) => l.at >= since && mentions(l.line, addr));
    },
    stop: () => stamper.stop(),
  };
}
