import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canUseNetnsSync, createNetns, deleteNetns, type Netns } from '../../src/platform/nft/netns.js';
import { ROOT, waitFor } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';
import { createToken, type RunningLeuko, sshBruteForce, startLeuko } from './api-daemon.js';

const CHROMIUM = '/usr/bin/chromium';
const netns = canUseNetnsSync();
const skip = !netns.ok ? netns.reason : !existsSync(CHROMIUM) ? 'apt-get install chromium' : undefined;
/** Screenshots of every page land here (CI keeps them as artifacts). */
const ARTIFACTS = process.env.LEUKO_TEST_ARTIFACTS ?? path.join(ROOT, 'test/artifacts/dashboard');
const MANAGEMENT = '10.77.0.2';

/**
 * Acceptance 2 of issue 7, in a real browser (Debian's chromium through playwright-core)
 * against a running `leuko run` that enforces with nftables inside a network namespace:
 * sign in, watch an attack appear live, open its incident, approve a pending isolation, undo a
 * ban (the element leaves the nftables set), mark a false positive (its ban is lifted too).
 */
describe.skipIf(skip !== undefined)(`dashboard in chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-dashboard-'));
  const log = path.join(dir, 'auth.log');
  const config = path.join(dir, 'leuko.yaml');
  let ns: Netns | undefined;
  let leuko: RunningLeuko | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The daemon serves dist/web; build it when this checkout has not yet.
    if (!existsSync(path.join(ROOT, 'dist/web/index.html')))
      execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    ns = await createNetns('dash');
    writeFileSync(log, '');
    writeFileSync(
      config,
      [
        'sources:',
        `  - { type: file, id: auth, path: ${log}, format: sshd, start_at: beginning }`,
        'policy:',
        '  mode: contain',
        '  allowlist: [127.0.0.0/8, "::1"]',
        '  approvals: { expire_after: 10m }',
        `store: { path: ${path.join(dir, 'store')} }`,
        'responders:',
        `  - { type: nftables, netns: ${ns.name} }`,
        `  - { type: isolate-host, management: [${MANAGEMENT}/32], netns: ${ns.name} }`,
        'api: { listen: "127.0.0.1:0" }',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await leuko?.stop();
    await deleteNetns(ns);
    rmSync(dir, { recursive: true, force: true });
  });

  const nft = (args: string[]): string | undefined => {
    try {
      return execFileSync('ip', ['netns', 'exec', (ns as Netns).name, 'nft', ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return undefined;
    }
  };
  const banned = (ip: string) => (nft(['-j', 'list', 'set', 'inet', 'leuko', 'ban4']) ?? '').includes(`"${ip}"`);
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('signs in, follows an attack live, approves, undoes and marks a false positive', async () => {
    const token = createToken(config, 'operator', 'ops');
    leuko = await startLeuko(config);
    const base = leuko.base;
    const api = async <T>(p: string, init: RequestInit = {}): Promise<T> => {
      const res = await fetch(`${base}${p}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      return (await res.json()) as T;
    };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // No --user-data-dir: launch() gives every run a fresh temporary profile already.
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const page = await context.newPage();

    // Sign in.
    await page.goto(`${base}/`);
    await page.getByLabel('API token').fill('lk_wrong-token-xxxxxxxx');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown or revoked' }).waitFor();
    await shot(page, '01-sign-in');
    await page.getByLabel('API token').fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Overview/ }).waitFor();
    await page.getByRole('status', { name: 'Live' }).waitFor();

    // A replayed attack shows up live on the overview.
    appendFileSync(log, sshBruteForce('198.51.100.61', 8, syslogStamp()));
    const live = page.getByRole('list', { name: 'Live events' });
    await live.getByText(/leuko\/ssh-bf — 198\.51\.100\.61/).waitFor({ timeout: 20_000 });
    await page
      .getByRole('link', { name: /198\.51\.100\.61/ })
      .first()
      .waitFor({ timeout: 10_000 });
    await waitFor('the ban in the namespace', () => (banned('198.51.100.61') ? true : undefined), 20_000);
    await page.waitForTimeout(2500); // one chart sample after the burst
    await shot(page, '02-overview');

    // Its incident: explanation, ATT&CK, evidence lines, the ban.
    await page
      .getByRole('link', { name: /198\.51\.100\.61/ })
      .first()
      .click();
    await page.getByText('Evidence lines').waitFor();
    await expect(page.getByRole('region', { name: 'Evidence lines' }).textContent()).resolves.toMatch(
      /Failed password for root from 198\.51\.100\.61/,
    );
    await page.getByRole('link', { name: 'T1110' }).first().waitFor();
    await page.getByRole('button', { name: /Undo ban 198\.51\.100\.61/ }).waitFor();
    await shot(page, '03-incident');

    // A pending isolation, approved in the queue.
    const iso = await api<{ id: string }>('/api/v1/decisions', {
      method: 'POST',
      body: JSON.stringify({
        action: 'isolate-host',
        host: hostname(),
        duration: '10m',
        reason: 'suspected compromise',
      }),
    });
    await page.getByRole('link', { name: 'Approvals' }).click();
    const approve = page.getByRole('button', { name: `Approve isolate-host ${hostname()}` });
    await approve.waitFor({ timeout: 20_000 });
    await shot(page, '04-approvals');
    expect(nft(['list', 'table', 'inet', 'leuko_isolate'])).toBeUndefined();
    await approve.click();
    await page.getByRole('status').filter({ hasText: 'Approved isolate-host' }).waitFor();
    await waitFor('the isolation in force', () => nft(['list', 'table', 'inet', 'leuko_isolate']), 20_000);
    await waitFor('the isolation verified', async () => {
      const d = await api<{ status: string }>(`/api/v1/decisions/${iso.id}`);
      return d.status === 'verified' ? true : undefined;
    });

    // Undo the ban from the decisions list: the element leaves the set.
    await page.getByRole('link', { name: 'Decisions' }).click();
    await page.getByLabel('Search').fill('198.51.100.61');
    const undo = page.getByRole('button', { name: 'Undo ban 198.51.100.61' });
    await undo.waitFor();
    await shot(page, '05-decisions');
    await undo.click();
    await page.getByRole('status').filter({ hasText: 'Undid ban on 198.51.100.61' }).waitFor();
    await waitFor('the element to leave the set', () => (banned('198.51.100.61') ? undefined : true), 20_000);

    // A second attacker, marked a false positive from its incident page: dismissed, ban lifted.
    appendFileSync(log, sshBruteForce('198.51.100.62', 8, syslogStamp()));
    await waitFor('the second ban', () => (banned('198.51.100.62') ? true : undefined), 30_000);
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('link', { name: '198.51.100.62' }).click();
    await page.getByRole('button', { name: 'Mark false positive' }).click();
    await page.getByRole('status').filter({ hasText: 'false positive' }).waitFor();
    await page.getByText('dismissed', { exact: true }).first().waitFor();
    await waitFor('the false positive’s ban lifted', () => (banned('198.51.100.62') ? undefined : true), 20_000);
    await shot(page, '06-false-positive');
    const audit = await api<{ action: string; actor: string }[]>('/api/v1/audit?kind=incident');
    expect(audit).toContainEqual(expect.objectContaining({ action: 'incident.dismissed', actor: 'token:ops' }));

    // Healing and audit views; the chain verifies.
    await page.getByRole('link', { name: 'Healing' }).click();
    await page.getByRole('heading', { name: 'Healing steps' }).waitFor();
    await shot(page, '07-healing');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/Chain intact: \d+ records/).waitFor();
    await shot(page, '08-audit');

    // Dark mode and a phone-sized screen.
    const dark = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    const phone = await dark.newPage();
    await phone.goto(`${base}/`);
    await phone.getByLabel('API token').fill(token);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByRole('heading', { name: /Overview/ }).waitFor();
    await shot(phone, '09-overview-dark-phone');
    await dark.close();
    await context.close();
    expect(await leuko.stop()).toBe(0);
  }, 120_000);
});
