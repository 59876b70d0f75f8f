import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { Decision } from '../../core/decision.js';
import type { ResponderContext } from '../../core/responder.js';
import { commandConfigSchema, commandOptionsFromConfig, createCommandResponder } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'leuko-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const ctx: ResponderContext = {
  signal: new AbortController().signal,
  clock: createManualClock(0),
  timeoutMs: 20_000,
  log: () => {},
};

let n = 0;
function decision(value = '203.0.113.9'): Decision {
  return {
    id: `dec_${++n}`,
    scope: 'ip',
    value,
    action: 'ban',
    durationS: 600,
    createdAt: 0,
    expiresAt: 600_000,
    origin: 'scenario',
    reason: 'test',
    blastRadius: 'low',
    status: 'approved',
    offence: 1,
  };
}

describe('command responder', () => {
  it('gives the decision as JSON on stdin and LEUKO_* variables; exit 0 = applied', async () => {
    const out = path.join(dir, 'seen');
    const apply = script(
      'apply.sh',
      `cat > '${out}.json'; printf '%s|%s|%s|%s|%s|%s' "$LEUKO_DECISION_ID" "$LEUKO_DECISION_ACTION" "$LEUKO_DECISION_SCOPE" "$LEUKO_DECISION_VALUE" "$LEUKO_EVENT" "$SECRET_FROM_PARENT" > '${out}.env'; echo "blocked $LEUKO_DECISION_VALUE"`,
    );
    process.env.SECRET_FROM_PARENT = 'leaked';
    const r = createCommandResponder({ command: [apply], actions: ['ban'] });
    const d = decision();
    try {
      expect((await r.apply([d], ctx)).get(d.id)).toEqual({ kind: 'applied', detail: 'blocked 203.0.113.9' });
    } finally {
      delete process.env.SECRET_FROM_PARENT;
    }
    expect(JSON.parse(readFileSync(`${out}.json`, 'utf8'))).toEqual({ version: 1, event: 'apply', decision: d });
    // Leuko's own environment (which may hold secrets) is not passed on.
    expect(readFileSync(`${out}.env`, 'utf8')).toBe(`${d.id}|ban|ip|203.0.113.9|apply|`);
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    expect(r.plan(d)).toMatchObject({ reversible: false, blastRadius: 'medium' });
  });

  it('passes hostile values as data, never as shell code', async () => {
    const marker = path.join(dir, 'pwned');
    const apply = script('quote.sh', 'echo "value=$LEUKO_DECISION_VALUE"');
    const r = createCommandResponder({ command: [apply] });
    const d = decision(`x; touch ${marker}; $(touch ${marker})`);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(existsSync(marker)).toBe(false);
  });

  it('reports a failing command with its stderr; 75 is retryable, 1 is not', async () => {
    const fail = script('fail.sh', 'echo "edge API refused" >&2; exit 1');
    const later = script('later.sh', 'exit 75');
    const a = decision();
    const b = decision();
    expect((await createCommandResponder({ command: [fail] }).apply([a], ctx)).get(a.id)).toEqual({
      kind: 'failed',
      error: 'exit 1: edge API refused',
      retryable: false,
    });
    expect((await createCommandResponder({ command: [later] }).apply([b], ctx)).get(b.id)).toMatchObject({
      kind: 'failed',
      retryable: true,
    });
  });

  it('kills the process group on timeout', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const slow = script('slow.sh', `sleep 30 & echo $! > '${pidFile}'; wait`);
    const r = createCommandResponder({ command: [slow], timeoutMs: 300 });
    const d = decision();
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'failed', error: 'timed out', retryable: true });
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    let state: string | undefined = 'S';
    for (let i = 0; i < 100 && state !== undefined && state !== 'Z'; i++) {
      await new Promise((res) => setTimeout(res, 20));
      state = existsSync(`/proc/${pid}/stat`)
        ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
        : undefined;
    }
    expect(state === undefined || state === 'Z').toBe(true);
  });

  it('runs the rollback command, and uses a verify command for idempotent apply', async () => {
    const flag = path.join(dir, 'flag');
    const count = path.join(dir, 'count');
    const apply = script('on.sh', `touch '${flag}'; echo x >> '${count}'`);
    const undo = script('off.sh', `rm -f '${flag}'`);
    const check = script('check.sh', `test -e '${flag}'`);
    const r = createCommandResponder({ command: [apply], rollback: [undo], verify: [check] });
    const d = decision();
    expect(r.plan(d).reversible).toBe(true);
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false });
    await r.apply([d], ctx);
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied', detail: 'already in force' });
    expect(readFileSync(count, 'utf8')).toBe('x\n');
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: true });
    expect((await r.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'applied' });
    expect(existsSync(flag)).toBe(false);
    expect(await r.verify(d, ctx)).toMatchObject({ inForce: false });
    // Someone undid it behind Leuko's back: apply runs again.
    await r.apply([d], ctx);
    expect(readFileSync(count, 'utf8')).toBe('x\nx\n');
    const noUndo = createCommandResponder({ command: [apply] });
    expect((await noUndo.rollback([d], ctx)).get(d.id)).toMatchObject({ kind: 'skipped' });
  });

  it('reports a missing program', async () => {
    const d = decision();
    const r = createCommandResponder({ command: [path.join(dir, 'nope')] });
    expect((await r.apply([d], ctx)).get(d.id)).toMatchObject({
      kind: 'failed',
      error: expect.stringContaining('ENOENT'),
    });
  });
});

describe('commandConfigSchema', () => {
  it('takes argv lists and durations; refuses a command line string', () => {
    const c = commandConfigSchema.parse({ type: 'command', command: ['/bin/true'], timeout: '10s', actions: ['ban'] });
    expect(commandOptionsFromConfig(c)).toEqual({
      command: ['/bin/true'],
      actions: ['ban'],
      timeoutMs: 10_000,
      env: {},
      blastRadius: 'medium',
    });
    expect(commandConfigSchema.safeParse({ type: 'command', command: '/bin/true --x' }).success).toBe(false);
    expect(commandConfigSchema.safeParse({ type: 'command', command: [] }).success).toBe(false);
  });
});
