import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTERS_STATE_KEY } from '../../src/pipeline/processor.js';
import { openSqliteStore } from '../../src/store/index.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

/**
 * kill -9 during `leuko run`, again and again, while a log grows: after the last restart
 * every line has been counted exactly once and every attacker has exactly one decision.
 */
/** The pipeline counters committed in a store, when there are any yet. */
async function committedCounters(storeDir: string): Promise<{ lines: number; events: number } | undefined> {
  const store = openSqliteStore({ dir: storeDir });
  try {
    const raw = await store.loadState(COUNTERS_STATE_KEY);
    return raw ? (JSON.parse(raw) as { lines: number; events: number }) : undefined;
  } catch {
    return undefined;
  } finally {
    await store.close();
  }
}

/**
 * Append `lines` to a log in `chunks`, starting `leuko run` on it for each chunk and killing it
 * with SIGKILL: after a random moment (sometimes not even through start-up), or with
 * `afterCommit` once the chunk's lines are committed; then let a last run finish the file and
 * stop cleanly. Returns the committed counters.
 */
async function killRepeatedly(
  dir: string,
  format: string,
  lines: readonly string[],
  chunks: number,
  afterCommit = false,
) {
  const log = path.join(dir, `${format}.log`);
  const storeDir = path.join(dir, `store-${format}`);
  const config = path.join(dir, `leuko-${format}.yaml`);
  writeFileSync(log, '');
  writeFileSync(
    config,
    [
      'sources:',
      `  - { type: file, path: ${log}, format: ${format}, start_at: beginning }`,
      'policy: { mode: observe, allowlist: [127.0.0.0/8, "::1"] }',
      `store: { path: ${storeDir} }`,
    ].join('\n'),
  );
  const per = Math.ceil(lines.length / chunks);
  const args = ['--config', config, 'run'];

  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };

  for (let c = 0; c < chunks; c++) {
    const child = spawnCli(args);
    appendFileSync(log, `${lines.slice(c * per, (c + 1) * per).join('\n')}\n`);
    const written = Math.min((c + 1) * per, lines.length);
    if (afterCommit)
      await waitFor(
        `chunk ${c + 1} committed`,
        async () => ((await committedCounters(storeDir))?.lines ?? 0) >= written || undefined,
        60_000,
      );
    else await new Promise((r) => setTimeout(r, 200 + Math.floor(rand() * 900)));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }

  const child = spawnCli(args);
  const exited = new Promise((r) => child.once('exit', r));
  const counters = await waitFor(
    'all lines committed',
    async () => {
      const c = await committedCounters(storeDir);
      return c && c.lines >= lines.length ? c : undefined;
    },
    60_000,
  );
  child.kill('SIGTERM');
  await exited;
  return { counters, config };
}

/**
 * kill -9 during `leuko run`, again and again, while a log grows: after the last restart
 * every line has been counted exactly once and every attacker has exactly one decision.
 */
describe('leuko run survives kill -9', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-kill9-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses and duplicates no line and no decision', async () => {
    // 30 attackers, 6 failures each (the fast brute-force bucket holds 5), interleaved with
    // benign logins; timestamps of "now" so the year inference is trivial.
    const stamp = syslogStamp(new Date());
    const lines: string[] = [];
    for (let round = 0; round < 6; round++) {
      for (let a = 1; a <= 30; a++) {
        lines.push(
          `${stamp} web1 sshd[${1000 + a}]: Failed password for root from 198.51.100.${a} port ${40000 + round} ssh2`,
        );
        if (a % 3 === 0)
          lines.push(
            `${stamp} web1 sshd[${2000 + a}]: Accepted publickey for deploy from 192.0.2.${a} port 5000 ssh2: ED25519 SHA256:abc`,
          );
      }
    }
    const { counters, config } = await killRepeatedly(dir, 'sshd', lines, 12);

    expect(counters.lines).toBe(lines.length);
    expect(counters.events).toBe(lines.length);

    const decisions = JSON.parse(runCli(['--config', config, 'decisions', '--all', '--json']).stdout) as {
      value: string;
    }[];
    const values = decisions.map((d) => d.value).sort();
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual(Array.from({ length: 30 }, (_, i) => `198.51.100.${i + 1}`).sort());

    const verify = runCli(['--config', config, 'audit', 'verify', '--json']);
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  }, 180_000);

  it('loses no event a parser held at a checkpoint (auditd records joined per serial)', async () => {
    // auditd without EOE: each kernel event is complete only when the next serial's first
    // record arrives. Each chunk ends with a whole event, so each kill (once the chunk is
    // committed) finds the daemon holding that event, all of whose lines the checkpoint covers.
    // Only the last event has an EOE, so every event is complete once the file is read.
    const now = Math.floor(Date.now() / 1000);
    const lines: string[] = [];
    const events = 60;
    for (let serial = 1; serial <= events; serial++) {
      const head = `msg=audit(${now}.000:${serial}):`;
      lines.push(
        `type=SYSCALL ${head} arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=${serial} auid=1000 uid=1000 gid=1000 euid=1000 comm="x" exe="/bin/x" key=(null)`,
        `type=EXECVE ${head} argc=1 a0="job${serial}"`,
        serial === events ? `type=EOE ${head} ` : `type=CWD ${head} cwd="/"`,
      );
    }
    // 180 lines in 6 chunks of 30: ten whole events each.
    const { counters } = await killRepeatedly(dir, 'auditd', lines, 6, true);
    expect(counters.lines).toBe(lines.length);
    expect(counters.events).toBe(events);
  }, 180_000);
});
