/**
 * Loaded into `leuko run` with `--import` when the lab profiles Leuko (LEUKO_LAB_PROFILE names
 * the output file). It changes no behaviour: it wraps three things from outside Leuko's code
 * and writes one JSON line per event, stamped on the same clock as the lab (performance
 * timeOrigin + now, epoch ms with sub-ms resolution):
 *   - `watch`: an fs.watch callback fired (the tailer's inotify wake-up);
 *   - `spawn` / `exit`: a child process (nft) started and exited, with its argv;
 *   - `tx`: a better-sqlite3 transaction (a store commit) began and ended;
 *   - `out`: a line went to stdout (`run --json` detections and decisions), stamped here rather
 *     than when the lab gets round to reading the pipe.
 * Builtins are patched on their CommonJS object, then `syncBuiltinESMExports` makes the
 * `import { spawn } from 'node:child_process'` bindings of modules loaded later see the wrapper.
 */
import childProcess from 'node:child_process';
import fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';

const out = process.env['LEUKO_LAB_PROFILE'];
if (out) {
  const fd = fs.openSync(out, 'a');
  const now = () => performance.timeOrigin + performance.now();
  const emit = (o: Record<string, unknown>) => {
    try {
      fs.writeSync(fd, `${JSON.stringify(o)}\n`);
    } catch {
      // profiling must never disturb the daemon
    }
  };

  const origWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') emit({ ev: 'out', t: now(), head: chunk.slice(0, 300) });
    return (origWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;

  const origWatch = fs.watch;
  const watch = ((...args: unknown[]) => {
    const cb = args.find((a) => typeof a === 'function') as ((...x: unknown[]) => void) | undefined;
    const path = String(args[0]);
    if (cb) {
      const i = args.indexOf(cb);
      args[i] = (...x: unknown[]) => {
        emit({ ev: 'watch', t: now(), path, name: x[1] === undefined ? null : String(x[1]) });
        cb(...x);
      };
    }
    return (origWatch as (...a: unknown[]) => fs.FSWatcher)(...args);
  }) as typeof fs.watch;
  fs.watch = watch;

  const origSpawn = childProcess.spawn;
  const spawn = ((...args: unknown[]) => {
    const t = now();
    const child = (origSpawn as (...a: unknown[]) => childProcess.ChildProcess)(...args);
    const argv = [String(args[0]), ...(Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [])];
    emit({ ev: 'spawn', t, pid: child.pid ?? null, argv });
    child.once('exit', (code) => emit({ ev: 'exit', t: now(), pid: child.pid ?? null, code }));
    return child;
  }) as typeof childProcess.spawn;
  childProcess.spawn = spawn;
  syncBuiltinESMExports();

  // better-sqlite3 is CommonJS: the store's ESM import gets this same prototype.
  const Database = createRequire(import.meta.url)('better-sqlite3') as {
    prototype: { transaction: (fn: (...a: unknown[]) => unknown) => unknown };
  };
  const origTx = Database.prototype.transaction;
  Database.prototype.transaction = function (this: unknown, fn: (...a: unknown[]) => unknown) {
    const tx = origTx.call(this, fn) as Record<string, (...a: unknown[]) => unknown>;
    const wrap =
      (variant: string) =>
      (...a: unknown[]) => {
        const t0 = now();
        try {
          return tx[variant]!(...a);
        } finally {
          emit({ ev: 'tx', t: t0, end: now(), variant });
        }
      };
    const wrapped = wrap('default') as ((...a: unknown[]) => unknown) & Record<string, unknown>;
    for (const v of ['default', 'deferred', 'immediate', 'exclusive'])
      Object.defineProperty(wrapped, v, { value: wrap(v) });
    Object.defineProperty(wrapped, 'database', { value: tx['database'], enumerable: true });
    return wrapped;
  };
}
