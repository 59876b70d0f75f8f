import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFail2banEnforcer } from '../lab/enforcers/fail2ban.js';
import { canUseNetns, listNamespaces } from '../lab/netns.js';
import { runLab } from '../lab/run-lab.js';

const netns = canUseNetns();

function userExists(name: string): boolean {
  try {
    execFileSync('id', [name], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The lab proves itself with the baseline enforcer: real hydra from the attacker namespace
 * against real sshd (logging through rsyslog) with fail2ban from apt enforcing with nftables
 * inside the victim namespace, while the legitimate client logs in and browses throughout.
 * Needs root for `ip netns`; skipped only when namespaces cannot be created at all.
 */
describe.skipIf(!netns.ok)(`attack lab: hydra vs sshd with fail2ban${netns.ok ? '' : ` (${netns.reason})`}`, () => {
  it('bans and cuts off the attacker, never the client, and leaves nothing behind', async () => {
    const report = await runLab({ enforcer: createFail2banEnforcer(), attacks: ['hydra'] });
    const hydra = report.attacks[0]!;
    const why = JSON.stringify({ ...hydra, tool: { ...hydra.tool } }, null, 2);

    expect(hydra.firstLine, why).not.toBeNull();
    expect(hydra.firstLine?.line).toContain(hydra.attacker);
    expect(hydra.bannedAt, why).not.toBeNull();
    expect(hydra.banSet).toBe('inet f2b-table addr-set-sshd');
    expect(hydra.ttcMs).toBeGreaterThan(0);
    // fail2ban's stock sshd jail needs maxretry=5 failures before it bans.
    expect(hydra.linesBeforeBan).toBeGreaterThanOrEqual(5);
    // Cut off: the attacked port no longer accepts the attacker (reject or drop).
    expect(hydra.cutOff, why).toBe(true);
    expect(hydra.probes.find((p) => p.port === 22)?.outcome).not.toBe('connected');

    // The legitimate client kept browsing and logging in, and was never banned.
    expect(report.clientOverall.failed, JSON.stringify(report.clientOverall.failures)).toBe(0);
    expect(report.clientOverall.ok).toBeGreaterThan(5);
    expect(hydra.client.ok).toBeGreaterThan(0);
    expect(report.clientEverBanned).toBe(false);

    // Teardown: namespaces, the test account and the temp dir are gone.
    expect(report.leftoverNamespaces).toEqual([]);
    expect((await listNamespaces()).filter((n) => n.startsWith(`lk-${report.labId}-`))).toEqual([]);
    expect(report.testUser).not.toBeNull();
    expect(userExists(report.testUser!)).toBe(false);
    expect(existsSync(report.labDir)).toBe(false);
  }, 150_000);
});
