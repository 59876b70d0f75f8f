import { Worker } from 'node:worker_threads';

/** A line with the time it appeared (epoch ms, sub-ms: performance timeOrigin + now). */
export interface StampedLine {
  readonly source: string;
  readonly line: string;
  readonly at: number;
}

export interface Stamper {
  /** Called on the main thread, in order, for every stamped line. */
  onLines(fn: (lines: readonly StampedLine[]) => void): void;
  /** Resolves once the worker has read everything the files hold right now. */
  flush(): Promise<void>;
  /** The command's pid (to kill it on teardown), once started. */
  readonly pid: () => number | undefined;
  stop(): Promise<void>;
}

/**
 * The worker: tails files from their current end (inotify, plus a short poll as fallback)
 * and optionally reads a command's stdout, stamping each line the moment its own event loop
 * sees it. Plain CommonJS so it runs as `eval` without a TypeScript loader.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const now = () => performance.timeOrigin + performance.now();
// Raise this thread's priority (Linux: setpriority on the thread id; root only, else ignored):
// on a loaded machine a starved stamper would stamp late, and a stamp late by more than the
// enforcer's latency makes a ban look as if it came before the line that caused it.
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, -15);
} catch {}
const buf = Buffer.allocUnsafe(1 << 16);
const files = workerData.files.map((file) => {
  const fd = fs.openSync(file, 'r');
  return { file, fd, offset: fs.fstatSync(fd).size, partial: '' };
});
function poll() {
  const out = [];
  for (const s of files) {
    for (;;) {
      let n = 0;
      try { n = fs.readSync(s.fd, buf, 0, buf.length, s.offset); } catch { break; }
      if (n <= 0) break;
      s.offset += n;
      const at = now();
      const parts = (s.partial + buf.toString('utf8', 0, n)).split('\\n');
      s.partial = parts.pop() ?? '';
      for (const line of parts) out.push({ source: s.file, line, at });
    }
  }
  if (out.length) parentPort.postMessage({ kind: 'lines', lines: out });
}
const watchers = files.map((s) => fs.watch(s.file, poll));
const timer = setInterval(poll, workerData.pollMs);
let child;
if (workerData.command) {
  child = spawn(workerData.command[0], workerData.command.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  parentPort.postMessage({ kind: 'pid', pid: child.pid });
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    const at = now();
    const parts = (partial + d).split('\\n');
    partial = parts.pop() ?? '';
    if (parts.length) parentPort.postMessage({ kind: 'lines', lines: parts.map((line) => ({ source: 'command', line, at })) });
  });
}
parentPort.on('message', (m) => {
  if (m.kind === 'flush') { poll(); parentPort.postMessage({ kind: 'flushed', id: m.id }); }
  if (m.kind === 'stop') {
    clearInterval(timer);
    for (const w of watchers) w.close();
    for (const s of files) fs.closeSync(s.fd);
    if (child) child.kill('SIGTERM');
    parentPort.postMessage({ kind: 'stopped' });
    parentPort.close();
  }
});
parentPort.postMessage({ kind: 'ready' });
`;

/**
 * Time-stamping off the lab's main thread. The lab's own event loop is busy starting
 * processes (client requests, probes, set listings; each spawn blocks it for a few ms), so a
 * line or a kernel notification read there is stamped late by up to tens of ms — as large as
 * the latency being measured. A worker thread with nothing else to do stamps within about a
 * millisecond of the write.
 */
export async function startStamper(opts: {
  files?: readonly string[];
  /** A long-running command whose stdout lines are stamped too (e.g. `nft monitor`). */
  command?: readonly string[];
  pollMs?: number;
}): Promise<Stamper> {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { files: opts.files ?? [], command: opts.command ?? null, pollMs: opts.pollMs ?? 5 },
  });
  const listeners: ((lines: readonly StampedLine[]) => void)[] = [];
  const flushes = new Map<number, () => void>();
  let nextId = 0;
  let pid: number | undefined;
  let stopped: Promise<void> | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { kind: string; lines?: StampedLine[]; id?: number; pid?: number }) => {
      if (m.kind === 'ready') resolve();
      else if (m.kind === 'lines' && m.lines) for (const fn of listeners) fn(m.lines);
      else if (m.kind === 'flushed' && m.id !== undefined) {
        flushes.get(m.id)?.();
        flushes.delete(m.id);
      } else if (m.kind === 'pid') pid = m.pid;
    });
  });
  await ready;
  // The command is the worker's child, not the lab's: a lab that exits abruptly still ends it.
  const killChild = () => {
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killChild);
  return {
    onLines(fn) {
      listeners.push(fn);
    },
    flush() {
      if (stopped) return Promise.resolve();
      const id = nextId++;
      return new Promise<void>((resolve) => {
        flushes.set(id, resolve);
        worker.postMessage({ kind: 'flush', id });
        // bounded: a wedged worker must not hang the lab
        setTimeout(resolve, 2000).unref();
      });
    },
    pid: () => pid,
    stop() {
      stopped ??= (async () => {
        const done = new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          setTimeout(resolve, 2000).unref();
        });
        worker.postMessage({ kind: 'stop' });
        await done;
        await worker.terminate();
        killChild();
        process.removeListener('exit', killChild);
      })();
      return stopped;
    },
  };
}
