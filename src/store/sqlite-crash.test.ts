import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './index.js';

const projectRoot = resolve(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'leuko-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const AUDIT_PER_BATCH = 40;

// A writer that resumes from its checkpoint and commits batch after batch until killed. Each
// batch i carries checkpoint i, decision dec_i, engine state i and AUDIT_PER_BATCH records.
const WRITER = `
import { openSqliteStore } from ${JSON.stringify(join(projectRoot, 'src/store/index.ts'))};
const store = openSqliteStore({ dir: process.argv[2] });
await store.migrate();
const last = await store.loadCheckpoint('s');
let i = last === undefined ? 0 : Number(last) + 1;
process.stdout.write('started\\n');
for (;;) {
  const audit = Array.from({ length: ${AUDIT_PER_BATCH} }, (_, k) => ({
    kind: 'decision', action: 'decision.applied', subject: 'dec_' + i, actor: 'leuko', at: i, data: { i, k },
  }));
  await store.commit({
    checkpoints: [{ sourceId: 's', state: String(i) }],
    state: [{ key: 'last', value: String(i) }],
    decisions: [{ id: 'dec_' + i, scope: 'ip', value: '192.0.2.' + (i % 256), action: 'ban', durationS: 60,
      createdAt: i, expiresAt: i + 60000, origin: 'scenario', reason: 'r', blastRadius: 'low', status: 'applied', offence: 1 }],
    audit,
  });
  i++;
}
`;

function runUntilKilled(script: string, dir: string, delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.stdout.on('data', (c) => {
      if (String(c).includes('started')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`writer exited on its own: ${stderr}`)),
    );
  });
}

describe('kill -9 during commits', () => {
  it('keeps every checkpoint together with exactly the decisions and audit records of its batches', async () => {
    const dir = join(root, 'store');
    const script = join(root, 'writer.mts');
    writeFileSync(script, WRITER);
    let previous = -1;
    for (const delayMs of [50, 120, 200, 310, 90]) {
      await runUntilKilled(script, dir, delayMs);
      const store = openSqliteStore({ dir });
      try {
        await store.migrate();
        const checkpoint = Number((await store.loadCheckpoint('s')) ?? -1);
        expect(checkpoint).toBeGreaterThanOrEqual(previous);
        expect(await store.loadState('last')).toBe(checkpoint < 0 ? undefined : String(checkpoint));
        expect(await store.listDecisions()).toHaveLength(checkpoint + 1);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, records: (checkpoint + 1) * AUDIT_PER_BATCH });
        previous = checkpoint;
      } finally {
        await store.close();
      }
    }
    // The writer made progress across the kills (it resumed from its checkpoints).
    expect(previous).toBeGreaterThan(0);
  });
});
