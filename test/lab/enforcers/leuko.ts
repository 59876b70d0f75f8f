import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Enforcer } from '../enforcer.js';
import { victimSetsHolding } from '../nft-sets.js';
import { killGroup, sleep, waitUntil } from '../proc.js';
import type { LabPaths } from '../services.js';
import type { Lab } from '../topology.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Leuko's own nft table (responder default: `inet leuko` with sets ban4, ban6, ...). */
export const LEUKO_TABLE = { family: 'inet', table: 'leuko' } as const;

export interface LeukoEnforcerOptions {
  /** The config Leuko runs with; the default follows issue 3's minimal protecting config. */
  readonly config?: (paths: LabPaths, storeDir: string) => string;
  /** How to start the CLI; default: node + tsx on src/cli/main.ts (never a stale build). */
  readonly command?: readonly string[];
  /** Ready when this resolves true (default: Leuko's nft table exists in the victim). */
  readonly ready?: (lab: Lab) => Promise<boolean>;
}

export function defaultLeukoConfig(paths: LabPaths, storeDir: string): string {
  return [
    'sources:',
    `  - { type: file, id: auth, path: ${paths.authLog}, format: sshd }`,
    `  - { type: file, id: nginx-access, path: ${paths.nginxAccessLog}, format: nginx }`,
    `  - { type: file, id: nginx-error, path: ${paths.nginxErrorLog}, format: nginx-error }`,
    'policy: { mode: contain, allowlist: [127.0.0.0/8, "::1"] }',
    'responders:',
    '  - { type: nftables }',
    `store: { path: ${storeDir} }`,
    '',
  ].join('\n');
}

/**
 * Leuko as the lab's enforcer: `leuko run` inside the victim namespace, so its nft responder
 * changes only the victim's ruleset. The lead adjusts `config`/`command` as the CLI evolves;
 * the measurement side (log watch, nft monitor, probes) is shared with fail2ban.
 */
export function createLeukoEnforcer(opts: LeukoEnforcerOptions = {}): Enforcer {
  let lab: Lab | undefined;
  let stopChild: (() => Promise<void>) | undefined;
  const self: Enforcer & { logFile: string } = {
    name: 'leuko',
    logFile: '',
    async start(l, paths) {
      lab = l;
      const dir = path.join(l.dir, 'leuko');
      mkdirSync(dir, { recursive: true });
      const cfg = path.join(dir, 'leuko.yaml');
      writeFileSync(cfg, (opts.config ?? defaultLeukoConfig)(paths, path.join(dir, 'store')));
      self.logFile = path.join(dir, 'leuko.log');
      const cmd = opts.command ?? [process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
      const child = l.spawn('victim', [...cmd, '--config', cfg, 'run'], { cwd: ROOT });
      let out = '';
      const keep = (d: string) => {
        out = (out + d).slice(-64 * 1024);
        writeFileSync(self.logFile, out);
      };
      child.stdout?.setEncoding('utf8').on('data', keep);
      child.stderr?.setEncoding('utf8').on('data', keep);
      let exited = '';
      child.once('exit', (code) => {
        exited = `leuko run exited with ${code}: ${out.trim().split('\n').slice(-5).join('\n')}`;
      });
      const closed = new Promise<void>((r) => child.once('close', () => r()));
      stopChild = async () => {
        killGroup(child, 'SIGTERM');
        // A clean shutdown flushes Leuko's store; bounded, then the lab kills what is left.
        await Promise.race([closed, sleep(5000)]);
      };
      const ready =
        opts.ready ??
        (async (x: Lab) =>
          (await x.exec('victim', ['nft', 'list', 'table', 'inet', 'leuko'], { timeoutMs: 5000 })).code === 0);
      await waitUntil(
        'leuko ready (its nft table in the victim)',
        async () => {
          if (exited) throw new Error(exited);
          return (await ready(l)) || undefined;
        },
        30_000,
        100,
      );
    },
    async stop() {
      const stop = stopChild;
      stopChild = undefined;
      await stop?.();
    },
    async isBanned(addr) {
      if (!lab) return false;
      return (await victimSetsHolding(lab, addr, LEUKO_TABLE)).length > 0;
    },
  };
  return self;
}
