import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { createParser } from '../../src/parsers/index.js';
import { replayFiles } from '../../src/pipeline/replay.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../../src/pipeline/settings.js';
import { createFileSource } from '../../src/sources/index.js';
import { createEphemeralStore } from '../../src/store/ephemeral-store.js';
import { openSqliteStore } from '../../src/store/index.js';

/**
 * A real nginx on loopback, attacked the way its error log can be forged: a line break in the
 * request path makes nginx write whole records the client chose (`open() "/srv/x<LF>2026/...
 * user "admin": password mismatch, client: 203.0.113.9 ..." failed`), and a long path makes it
 * cut the record at 2048 bytes before its own end. The planted address must get nothing; the
 * sender's real failures and its forging still count.
 */
const VICTIM = '203.0.113.9';

function hasNginx(): boolean {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** One raw HTTP/1.1 request (no client library rewrites the path); resolves with the status line. */
function send(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(raw));
    let out = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (d) => {
      out += d.toString('latin1');
    });
    s.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
    s.on('error', () => resolve('error'));
  });
}

function nginxStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A path whose decoded form writes `n` records naming VICTIM, then `tail`. */
function forgingPath(n: number, pad: number): string {
  const stamp = nginxStamp(new Date());
  const records = Array.from(
    { length: n },
    (_, i) =>
      `${stamp} [error] 1#1: *${900 + i} user "admin": password mismatch, client: ${VICTIM}, server: lab, request: "GET /admin/ HTTP/1.1", host: "lab"`,
  );
  return `/f${'a'.repeat(pad)}%0A${records.map((r) => encodeURIComponent(r)).join('%0A')}%0Az`;
}

describe.skipIf(!hasNginx())('nginx error log forging, against a real nginx', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-ngx-'));
  const errorLog = path.join(dir, 'error.log');
  let nginx: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    // nginx's workers drop root for nobody: they read the password file and the site from here.
    chmodSync(dir, 0o755);
    for (const d of ['www', 'tmp']) mkdirSync(path.join(dir, d), { mode: 0o755 });
    writeFileSync(path.join(dir, 'htpasswd'), 'admin:{PLAIN}right\n', { mode: 0o644 });
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${errorLog} error;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    server_name lab;
    root ${dir}/www;
    location / { }
    location /admin/ { auth_basic "admin"; auth_basic_user_file ${dir}/htpasswd; }
  }
}
`,
    );
    nginx = spawn('nginx', ['-p', dir, '-c', conf, '-e', errorLog], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while ((await send(port, 'GET / HTTP/1.1\r\nHost: lab\r\n\r\n')) === 'error') {
      if (Date.now() > deadline) throw new Error('nginx did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => {
    nginx?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const lineCount = () => readFileSync(errorLog, 'utf8').split('\n').length - 1;

  /** The attack: real wrong passwords, then filler, then split and cut records. */
  async function attack(): Promise<void> {
    const auth = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    for (let i = 0; i < 8; i++) {
      expect(await send(port, `GET /admin/ HTTP/1.1\r\nHost: lab\r\nAuthorization: ${auth}\r\n\r\n`)).toContain('401');
    }
    // 404s between: their open() records keep the real failures out of the forged records' reach.
    for (let i = 0; i < 16; i++) await send(port, `GET /missing-${i} HTTP/1.1\r\nHost: lab\r\n\r\n`);
    for (let i = 0; i < 4; i++) {
      // Split: nginx's own end of the record follows the forged ones (the record, the request line
      // with the path encoded again included, stays under 2048 bytes).
      expect(await send(port, `GET ${forgingPath(2, 0)} HTTP/1.1\r\nHost: lab\r\n\r\n`)).toContain('404');
    }
    for (const pad of [10, 400, 900]) {
      // Cut: the forged records run past 2048 bytes, so nginx's end of the record is never written.
      expect(await send(port, `GET ${forgingPath(14, pad)} HTTP/1.1\r\nHost: lab\r\n\r\n`)).toContain('404');
    }
    for (let i = 0; i < 6; i++) {
      // No line break at all: a referrer ending in a fake context, so long that nginx cuts the
      // record inside it, after the real client. These are the sender's own failures.
      const referer = `x": password mismatch, client: ${VICTIM}, server: ${'b'.repeat(1900 + 37 * i)}`;
      expect(
        await send(port, `GET /admin/ HTTP/1.1\r\nHost: lab\r\nAuthorization: ${auth}\r\nReferer: ${referer}\r\n\r\n`),
      ).toContain('401');
    }
  }

  it('replayed, names only the sender: its failures and its forging, never the planted address', async () => {
    await attack();
    for (const format of ['nginx-error', 'auto']) {
      const store = openSqliteStore({ file: ':memory:' });
      await store.migrate();
      try {
        const r = await replayFiles({
          paths: [errorLog],
          format,
          settings: { ...DEFAULT_PIPELINE_SETTINGS, allowlist: [] },
          store,
          clock: systemClock,
          ids: createSequentialIds(),
        });
        const named = [...r.detections.map((d) => d.entity.value), ...r.decisions.map((d) => d.value)];
        expect(named, format).not.toContain(VICTIM);
        expect(r.stats.untrustedRecordLines, format).toBeGreaterThan(40);
        const scenarios = r.detections.filter((d) => d.entity.value === '127.0.0.1').map((d) => d.scenario);
        expect(scenarios, format).toContain('leuko/auth-bf');
        if (format === 'nginx-error') expect(scenarios).toContain('leuko/http-log-forging');
      } finally {
        await store.close();
      }
    }
    // Line by line, as the pipeline sees them: every wrong password is the sender's, the ones
    // nginx cut inside a long referrer included; none is the planted address's.
    const parse = createParser('nginx-error', { clock: systemClock });
    const failures: string[] = [];
    const take = () => {
      for (let s = parse.records!.next(); s !== undefined; s = parse.records!.next()) {
        const ev = s.parsed?.event;
        if (ev?.['event.action'] === 'http_auth_failure') failures.push(String(ev['source.ip']));
      }
    };
    let end = 0;
    for (const line of readFileSync(errorLog, 'utf8').split('\n').slice(0, -1)) {
      end += Buffer.byteLength(line) + 1;
      parse.records!.admit(line, parse(line), end);
      take();
    }
    parse.records!.settle();
    take();
    expect(failures.filter((f) => f !== '127.0.0.1')).toEqual([]);
    expect(failures).toHaveLength(14);
  });

  it('followed live by the daemon, lets the held lines go as soon as nginx has written them', async () => {
    const store = createEphemeralStore();
    const found: { scenario: string; value: string }[] = [];
    const daemon = await startDaemon({
      settings: DEFAULT_PIPELINE_SETTINGS,
      sources: [
        {
          source: createFileSource({ id: 'nginx-error', path: errorLog, pollIntervalMs: 50, startAt: 'end' }),
          format: 'nginx-error',
        },
      ],
      store,
      clock: systemClock,
      ids: createSequentialIds(),
      tickMs: 50,
      log: () => undefined,
      // Loopback never gets a decision (the allowlist, the host's own addresses): its detections count here.
      listener: { onDetection: (d) => found.push({ scenario: d.scenario, value: d.entity.value }) },
    });
    try {
      // Let the source take its starting position before nginx writes.
      const start = Date.now();
      while (daemon.stats.batches === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
      const before = lineCount();
      await attack();
      const written = lineCount() - before;
      // Nothing more is written: the lines still held go because the file was read to its end.
      const deadline = Date.now() + 15_000;
      while (daemon.stats.events + daemon.stats.untrustedRecordLines < written && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(daemon.stats.lines).toBe(written);
      // None is still held: the last batch told the gate the file was read to its end.
      expect(daemon.stats.events + daemon.stats.untrustedRecordLines).toBe(written);
      const scenarios = found.filter((d) => d.value === '127.0.0.1').map((d) => d.scenario);
      expect(scenarios).toContain('leuko/auth-bf');
      expect(scenarios).toContain('leuko/http-log-forging');
      expect(found.map((d) => d.value)).not.toContain(VICTIM);
      // Every forged line, and the line each split or cut record opened with, went uncounted.
      const forged = readFileSync(errorLog, 'utf8')
        .split('\n')
        .slice(before)
        .filter((l) => l.includes(`client: ${VICTIM},`) && !l.includes('referrer:')).length;
      expect(forged).toBeGreaterThan(20);
      expect(daemon.stats.untrustedRecordLines).toBeGreaterThanOrEqual(forged + 7);
    } finally {
      await daemon.stop();
    }
  });
});
