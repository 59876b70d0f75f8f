import type { Command } from 'commander';
import { HEAL_STATS_KEY } from '../../healing/integrity.js';
import { scanAll } from '../../healing/inspect.js';
import { activeWindow, readWindows } from '../../healing/maintenance.js';
import { openStoreAt } from '../runtime-store.js';
import { iso, printJson } from '../output.js';
import { healRuntime } from './heal-common.js';

/** `leuko heal status`: baseline, drift right now, the daemon's integrity and service state, quarantine. */
export function registerHeal(program: Command): void {
  const heal = program.command('heal').description('self-healing: integrity, services, posture');
  heal
    .command('status')
    .description('baseline, current drift, services and quarantine')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const h = healRuntime(cmd);
      if (!h) return;
      const drift = await scanAll(h.files);
      const store = await openStoreAt(h.runtime.storeDir);
      let daemon: unknown;
      try {
        const raw = await store.loadState(HEAL_STATS_KEY);
        daemon = raw === undefined ? undefined : JSON.parse(raw);
      } finally {
        await store.close();
      }
      const quarantined = await h.files.quarantine.list();
      const window = activeWindow(readWindows(h.files.dir), Date.now());
      const out = {
        mode: h.runtime.config.policy.mode,
        roots: h.files.state.roots.map((r) => ({
          root: r.root,
          role: r.role,
          ...(r.service ? { service: r.service } : {}),
        })),
        baseline: {
          entries: h.files.baseline.size,
          recordedAt: h.files.baseline.recordedAt,
          storedBytes: await h.files.blobs.size(),
        },
        drift: drift.map((c) => ({ path: c.path, kind: c.kind, aspects: c.aspects })),
        maintenance: window ?? null,
        quarantine: quarantined.length,
        daemon: daemon ?? null,
      };
      if (opts.json) return printJson(out);
      const w = process.stdout;
      w.write(`mode ${out.mode}; ${out.roots.length} protected root(s)\n`);
      w.write(
        out.baseline.entries === 0
          ? 'baseline: none recorded (run leuko baseline)\n'
          : `baseline: ${out.baseline.entries} entries recorded ${iso(out.baseline.recordedAt)}, ${out.baseline.storedBytes} bytes stored\n`,
      );
      w.write(`drift now: ${drift.length === 0 ? 'none' : `${drift.length} path(s)`}\n`);
      for (const c of drift.slice(0, 50)) w.write(`  ${c.kind} ${c.path} (${c.aspects.join(', ')})\n`);
      if (window) w.write(`maintenance window open until ${iso(window.end)} (${window.by})\n`);
      w.write(`quarantine: ${quarantined.length} item(s)\n`);
      const d = daemon as
        | {
            at: number;
            integrity: Record<string, number>;
            services: { name: string; healthy?: boolean; detail: string; attempts: number }[];
          }
        | undefined;
      if (d) {
        w.write(
          `daemon (as of ${iso(d.at)}): ${d.integrity.scans} scans, ${d.integrity.events} watch events, ${d.integrity.changes} changes, ${d.integrity.accepted} accepted, ${d.integrity.bursts} bursts\n`,
        );
        for (const s of d.services)
          w.write(
            `  service ${s.name}: ${s.healthy === undefined ? 'not probed' : s.healthy ? 'healthy' : 'DOWN'} — ${s.detail}${s.attempts ? ` (${s.attempts} restart attempts)` : ''}\n`,
          );
      } else w.write('daemon: not running with protect: yet\n');
    });
}
