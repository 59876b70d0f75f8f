import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { replayFiles } from '../../src/pipeline/replay.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../../src/pipeline/settings.js';
import { openSqliteStore } from '../../src/store/index.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

function attack(ip: string, n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `${syslogStamp()} web1 sshd[${900 + i}]: Failed password for root from ${ip} port ${4000 + i} ssh2\n`,
  ).join('');
}

/**
 * Garbage in the log must be counted and skipped, never crash the pipeline, never blind it to
 * the real attack around it, and never make memory grow with the size of the garbage.
 */
describe('bad input', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('binary garbage, a 1 MB line, invalid UTF-8 and truncated lines are counted and skipped', () => {
    const file = path.join(dir, 'mixed.log');
    const fd = openSync(file, 'w');
    writeSync(fd, attack('198.51.100.1', 3));
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    writeSync(fd, garbage);
    writeSync(fd, '\n');
    writeSync(
      fd,
      `${syslogStamp()} web1 sshd[1]: Failed password for ${'A'.repeat(1024 * 1024)} from 203.0.113.50 port 1 ssh2\n`,
    );
    writeSync(fd, Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0a]));
    writeSync(fd, `${syslogStamp()} web1 sshd[7]: Failed passw\n${syslogStamp()} web1 ss\n`);
    writeSync(fd, attack('198.51.100.1', 3));
    closeSync(fd);

    const r = runCli(['replay', '--json', '--format', 'sshd', file]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      lines: number;
      events: number;
      unparsed: number;
      skipped_too_long: number;
      invalid_utf8: number;
      decisions: { value: string }[];
    };
    expect(out.skipped_too_long).toBe(1);
    expect(out.invalid_utf8).toBeGreaterThanOrEqual(1);
    // Every line is accounted for: an event, unparsed, or skipped as too long.
    expect(out.events + out.unparsed).toBe(out.lines);
    expect(out.events).toBeGreaterThanOrEqual(6);
    expect(out.unparsed).toBeGreaterThanOrEqual(1);
    // The attack around the garbage is still seen; the address inside the huge line is not acted on.
    expect(out.decisions.map((d) => d.value)).toEqual(['198.51.100.1']);
  });

  it('a 64 MB line without a newline does not grow memory with it', async () => {
    const file = path.join(dir, 'huge.log');
    writeFileSync(file, attack('198.51.100.2', 3));
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 64; i++) appendFileSync(file, chunk);
    appendFileSync(file, `\n${attack('198.51.100.2', 3)}`);
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    const before = process.memoryUsage().rss;
    let peak = before;
    const result = await replayFiles({
      paths: [file],
      format: 'sshd',
      settings: DEFAULT_PIPELINE_SETTINGS,
      store,
      clock: systemClock,
      ids: createSequentialIds(),
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    await store.close();
    expect(result.files[0]?.linesTooLong).toBe(1);
    expect(result.decisions.map((d) => d.value)).toEqual(['198.51.100.2']);
    expect(peak - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('leuko run keeps going when its log is deleted mid-read and comes back', async () => {
    const log = path.join(dir, 'auth.log');
    const storeDir = path.join(dir, 'store');
    const config = path.join(dir, 'leuko.yaml');
    writeFileSync(log, attack('198.51.100.3', 2));
    writeFileSync(
      config,
      `sources:\n  - { type: file, path: ${log}, format: sshd, start_at: beginning }\nstore: { path: ${storeDir} }\n`,
    );
    const child = spawnCli(['--config', config, 'run', '--json']);
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    try {
      const linesRead = () => {
        const r = runCli(['--config', config, 'status', '--json']);
        return r.status === 0 ? (JSON.parse(r.stdout) as { counters: { lines: number } }).counters.lines : 0;
      };
      await waitFor('the first lines', () => (linesRead() >= 2 ? true : undefined));
      unlinkSync(log);
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(log, attack('198.51.100.4', 6));
      await waitFor('a decision after the file came back', () => (stdout.includes('198.51.100.4') ? true : undefined));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
