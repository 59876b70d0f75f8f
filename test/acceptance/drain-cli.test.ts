import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const rows = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { template_id: string; template: string });

describe('leuko templates --jsonl', () => {
  const input = [
    'Dec  6 10:00:01 web1 sshd[12]: Accepted publickey for bob from 10.0.0.2 port 5000 ssh2',
    '',
    'Dec  6 10:00:02 web1 sshd[13]: Accepted publickey for eve from 10.0.0.3 port 5001 ssh2',
    '\x00\x01 binary-ish junk',
  ].join('\n');

  it('reads stdin, prints one row per line (blank and junk lines too), final templates by default', () => {
    const r = runCli(['templates', '--jsonl', '-'], { input });
    expect(r.status).toBe(0);
    const out = rows(r.stdout);
    expect(out).toHaveLength(4);
    expect(out[0]).toEqual({ template_id: 'E1', template: 'sshd: Accepted publickey for <*> from <*> port <*> ssh2' });
    expect(out[2]).toEqual(out[0]);
    expect(new Set(out.map((o) => o.template_id)).size).toBe(3);
  });

  it('--online prints each template as it was when its line arrived', () => {
    const out = rows(runCli(['templates', '--jsonl', '-', '--online'], { input }).stdout);
    expect(out[0]?.template).toBe('sshd: Accepted publickey for bob from <*> port <*> ssh2');
    expect(out[2]?.template).toBe('sshd: Accepted publickey for <*> from <*> port <*> ssh2');
    expect(out[2]?.template_id).toBe(out[0]?.template_id);
  });

  it('names a missing input file', () => {
    const r = runCli(['templates', '--jsonl', '/nonexistent/leuko-drain.log']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/leuko-drain.log: no such file/);
  });

  it('fails with the file and key of a bad settings file, exit code 2', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-tpl-cli-'));
    const bad = path.join(dir, 'S.json');
    writeFileSync(bad, JSON.stringify({ regex: ['(unclosed'], st: 0.5, depth: 4 }));
    const r = runCli(['templates', '--jsonl', '-', '--settings', bad], { input });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/masking regex #1 "\(unclosed" does not compile/);
    expect(r.stdout).toBe('');
  });
});
