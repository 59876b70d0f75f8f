import { closeSync, openSync, readSync, statSync, type FSWatcher, watch } from 'node:fs';
import { labNow } from './proc.js';

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
  /** Read whatever is new right now (also runs on inotify events and every `pollMs`). */
  poll(): void;
  stop(): void;
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
 * appears: the "first malicious line" clock for time-to-contain. inotify wakes it at once;
 * a short poll is the fallback (and bounds the error if an event is missed).
 */
export function createLogWatch(files: readonly string[], pollMs = 5): LogWatch {
  const lines: WatchedLine[] = [];
  const state = files.map((file) => {
    const fd = openSync(file, 'r');
    return { file, fd, offset: statSync(file).size, partial: '' };
  });
  const buf = Buffer.allocUnsafe(1 << 16);
  const poll = () => {
    for (const s of state) {
      for (;;) {
        const n = readSync(s.fd, buf, 0, buf.length, s.offset);
        if (n <= 0) break;
        s.offset += n;
        const at = labNow();
        const parts = (s.partial + buf.toString('utf8', 0, n)).split('\n');
        s.partial = parts.pop() ?? '';
        for (const line of parts) lines.push({ file: s.file, line, at });
      }
    }
  };
  const watchers: FSWatcher[] = files.map((f) => watch(f, poll));
  const timer = setInterval(poll, pollMs);
  return {
    poll,
    linesFrom(addr, since = 0, until = Number.POSITIVE_INFINITY) {
      return lines.filter((l) => l.at >= since && l.at <= until && mentions(l.line, addr));
    },
    firstFrom(addr, since = 0) {
      return lines.find((l) => l.at >= since && mentions(l.line, addr));
    },
    stop() {
      clearInterval(timer);
      for (const w of watchers) w.close();
      for (const s of state) closeSync(s.fd);
    },
  };
}
