import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canUseNetnsSync, createNetns, deleteNetns, type Netns } from '../../src/platform/nft/netns.js';
import { runCli, spawnCli, waitFor } from '../support/cli.js';

const netns = canUseNetnsSync();

/** Long enough to check "not applied while waiting" on a few daemon passes, short for the test. */
// Long enough for the approve CLI call to win the race on a loaded 2-core CI machine.
const EXPIRE_AFTER_S = 40;
const MANAGEMENT = '10.77.0.2';

interface DecisionJson {
  id: string;
  value: string;
  action: string;
  status: string;
  statusReason?: string;
  policy?: { rule?: string; approvalId?: string };
}
interface ApprovalJson {
  id: string;
  decisionId: string;
  status: string;
  reason: string;
}

/**
 * Acceptance 4 of issue 3: host isolation is high impact, so even an operator's request waits
 * in the approval queue. It is not applied until approved; after `leuko approve` it is applied
 * and verified (the isolation table is live in the namespace); a second request left unanswered
 * expires, counts as rejected, and is never applied.
 */
describe.skipIf(!netns.ok)(`approval-gated isolation${netns.ok ? '' : ` (skipped: ${netns.reason})`}`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-approvals-'));
  const config = path.join(dir, 'leuko.yaml');
  let ns: Netns | undefined;
  const children: ReturnType<typeof spawnCli>[] = [];

  beforeAll(async () => {
    ns = await createNetns('approvals');
    writeFileSync(path.join(dir, 'auth.log'), '');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, path: ${path.join(dir, 'auth.log')}, format: sshd, start_at: beginning }`,
        'policy:',
        '  mode: contain',
        '  allowlist: [127.0.0.0/8, "::1"]',
        `  approvals: { expire_after: ${EXPIRE_AFTER_S} }`,
        `store: { path: ${path.join(dir, 'store')} }`,
        'responders:',
        `  - { type: isolate-host, management: [${MANAGEMENT}/32], netns: ${ns.name} }`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await deleteNetns(ns);
    rmSync(dir, { recursive: true, force: true });
  });

  const leuko = (args: string[]) => runCli(['--config', config, ...args]);
  const json = <T>(args: string[]): T => {
    const r = leuko(args);
    if (r.status !== 0) throw new Error(`leuko ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const decision = (id: string) => json<DecisionJson[]>(['decisions', '--all', '--json']).find((d) => d.id === id);
  const approvalFor = (decisionId: string) =>
    json<ApprovalJson[]>(['approvals', '--all', '--json']).find((a) => a.decisionId === decisionId);
  /** The isolation table in the namespace, or undefined when there is none. */
  const isolationTable = (): string | undefined => {
    try {
      return execFileSync(
        'ip',
        ['netns', 'exec', (ns as Netns).name, 'nft', 'list', 'table', 'inet', 'leuko_isolate'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
    } catch {
      return undefined;
    }
  };
  const auditOf = (id: string) =>
    json<{ action: string; subject: string; actor: string }[]>(['audit', 'list', '--limit', '1000', '--json']).filter(
      (r) => r.subject === id,
    );

  it('refuses an isolation request without a host, before storing anything', () => {
    const r = leuko(['decisions', 'add', '--action', 'isolate-host', '--ip', '192.0.2.1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--host/);
  });

  it('isolates only after approval; an unanswered request expires unapplied', async () => {
    const daemon = spawnCli(['--config', config, 'run']);
    children.push(daemon);
    const add = () =>
      json<DecisionJson>([
        'decisions',
        'add',
        '--action',
        'isolate-host',
        '--host',
        hostname(),
        '--duration',
        '10m',
        '--json',
      ]);
    const first = add();
    const second = add();
    expect(first).toMatchObject({ action: 'isolate-host', value: hostname(), status: 'proposed' });

    // Both wait for a person: queued by the high-impact rule although an operator asked.
    const [a1, a2] = await waitFor('both requests queued', () => {
      const x = approvalFor(first.id);
      const y = approvalFor(second.id);
      return x && y ? [x, y] : undefined;
    });
    for (const a of [a1, a2]) {
      expect(a.status).toBe('pending');
      expect(a.reason).toMatch(/high impact/);
    }
    expect(decision(first.id)?.policy?.rule).toBe('high-impact');

    // Not applied while waiting, over several daemon passes.
    await new Promise((r) => setTimeout(r, 1500));
    expect(decision(first.id)?.status).toBe('proposed');
    expect(isolationTable()).toBeUndefined();

    // Approved: applied, then verified against the live ruleset.
    const ok = leuko(['approve', a1.id]);
    expect(ok.status, ok.stderr).toBe(0);
    const verified = await waitFor('the isolation verified', () => {
      const d = decision(first.id);
      return d?.status === 'verified' ? d : undefined;
    });
    expect(verified.statusReason).toMatch(/isolated/);
    const table = isolationTable();
    expect(table).toMatch(new RegExp(`set mgmt4 \\{[^}]*elements = \\{ ${MANAGEMENT.replaceAll('.', '\\.')} \\}`));
    expect(table).toMatch(/meta nfproto @armed counter packets \d+ bytes \d+ drop/);
    expect(auditOf(first.id).map((r) => r.action)).toEqual(
      expect.arrayContaining(['decision.proposed', 'decision.queued', 'decision.approved', 'decision.applied']),
    );

    // The second one expires unanswered: rejected, never applied, and too late to approve.
    const expired = await waitFor(
      'the second request to expire',
      () => {
        const d = decision(second.id);
        return d?.status === 'rejected' ? d : undefined;
      },
      (EXPIRE_AFTER_S + 10) * 1000,
    );
    expect(expired.statusReason).toBe('approval expired unanswered');
    expect(approvalFor(second.id)?.status).toBe('expired');
    const late = leuko(['approve', a2.id]);
    expect(late.status).toBe(1);
    expect(late.stderr).toMatch(/expired/);
    const trail = auditOf(second.id).map((r) => r.action);
    expect(trail).toContain('decision.rejected');
    expect(trail).not.toContain('decision.approved');
    expect(trail).not.toContain('decision.applied');
    // The first isolation is untouched by the second's expiry.
    expect(decision(first.id)?.status).toBe('verified');
    expect(isolationTable()).toBeDefined();

    daemon.kill('SIGTERM');
    expect(await new Promise((r) => daemon.once('exit', r))).toBe(0);
  }, 150_000);
});
