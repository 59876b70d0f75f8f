import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, spawnCli, waitFor } from './cli.js';

/** A temp lab for healing tests: a web root, a store, a config, and the daemon. */
export interface HealLab {
  readonly dir: string;
  readonly www: string;
  readonly store: string;
  readonly config: string;
  cli(...args: string[]): ReturnType<typeof runCli>;
  /** Start `leuko run` and wait until healing is up (start-up scan done). */
  start(): Promise<ChildProcess>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  kill(): void;
  log(): string;
  cleanup(): void;
}

export function createHealLab(
  prefix: string,
  configLines: (lab: { dir: string; www: string; store: string }) => string[],
): HealLab {
  const dir = mkdtempSync(path.join(tmpdir(), `leuko-${prefix}-`));
  chmodSync(dir, 0o755);
  const www = path.join(dir, 'www');
  const store = path.join(dir, 'store');
  mkdirSync(www, { recursive: true });
  const config = path.join(dir, 'leuko.yaml');
  writeFileSync(config, [`store: { path: ${store} }`, ...configLines({ dir, www, store })].join('\n'));
  let child: ChildProcess | undefined;
  let output = '';
  return {
    dir,
    www,
    store,
    config,
    cli: (...args) => runCli(['--config', config, ...args]),
    async start() {
      // A retried test starts again on the same lab: the first attempt's daemon would live on
      // (holding the API port, so the retry's daemon ran without its API).
      if (child && child.exitCode === null) child.kill('SIGKILL');
      output = '';
      const c = spawnCli(['--config', config, 'run']);
      child = c;
      c.stdout?.on('data', (b: Buffer) => {
        output += b.toString();
      });
      c.stderr?.on('data', (b: Buffer) => {
        output += b.toString();
      });
      await waitFor('healing to start', () => (output.includes('leuko running in') ? true : undefined), 90_000);
      return c;
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (c.exitCode === null) c.kill('SIGKILL');
    },
    kill() {
      child?.kill('SIGKILL');
    },
    log: () => output,
    cleanup() {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A free loopback port (bound once, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A real nginx serving `root` on a loopback port, with its own config in `dir`. */
export interface Nginx {
  readonly port: number;
  readonly confDir: string;
  readonly conf: string;
  /** The command that starts it (used as the service's restart command). */
  readonly startCommand: string;
  start(): void;
  /** SIGKILL the master and its workers (the whole process group). */
  killAll(): void;
  masterPid(): number | undefined;
  get(p: string): Promise<{ status: number; body: string } | undefined>;
}

export function createNginx(dir: string, root: string, port: number): Nginx {
  // Only the config lives in confDir (it is protected as the service's config); temp files elsewhere.
  const confDir = path.join(dir, 'nginx');
  const tmp = path.join(dir, 'nginx-tmp');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const conf = path.join(confDir, 'nginx.conf');
  const pid = path.join(dir, 'nginx.pid');
  writeFileSync(
    conf,
    [
      'user root;',
      'worker_processes 1;',
      `pid ${pid};`,
      `error_log ${path.join(dir, 'nginx-error.log')};`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${tmp}/body;`,
      `  proxy_temp_path ${tmp}/proxy;`,
      `  fastcgi_temp_path ${tmp}/fastcgi;`,
      `  uwsgi_temp_path ${tmp}/uwsgi;`,
      `  scgi_temp_path ${tmp}/scgi;`,
      `  server { listen 127.0.0.1:${port}; root ${root}; index index.html; }`,
      '}',
      '',
    ].join('\n'),
  );
  const startCommand = `nginx -p ${tmp} -c ${conf} -e ${path.join(dir, 'nginx-error.log')}`;
  const masterPid = () => {
    if (!existsSync(pid)) return undefined;
    const n = Number(readFileSync(pid, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  return {
    port,
    confDir,
    conf,
    startCommand,
    start() {
      const r = spawnSync('/bin/sh', ['-c', startCommand], { encoding: 'utf8', timeout: 15_000 });
      if (r.status !== 0) throw new Error(`nginx failed to start: ${r.stderr}`);
    },
    killAll() {
      const m = masterPid();
      if (m === undefined) return;
      try {
        process.kill(-m, 'SIGKILL');
      } catch {
        try {
          process.kill(m, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    masterPid,
    async get(p) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${p}`, { signal: AbortSignal.timeout(2000) });
        return { status: res.status, body: await res.text() };
      } catch {
        return undefined;
      }
    },
  };
}
