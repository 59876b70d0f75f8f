import { promises as fs } from 'node:fs';
import type { ProtectConfig } from '../config/protect.js';
import type { AuditInput } from '../core/audit.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../core/store.js';
import { createBurstTracker } from './burst.js';
import { entropy } from './entropy.js';
import { burstFinding, changeFinding } from './findings.js';
import type { HealFiles } from './heal-dirs.js';
import { type Change, inspectPath, type StatCache, scanAll, scanRoot } from './inspect.js';
import { activeWindow, changedInWindow, readWindows } from './maintenance.js';
import type { HealFinding, HealRaiser } from './raise.js';
import { acceptPaths } from './record.js';
import { watchTrees, type TreeWatcher } from './watcher.js';
import { findWriter, sampleWrites, type WriteSample, type Writer } from './writer.js';

export interface IntegrityStats {
  scans: number;
  events: number;
  changes: number;
  accepted: number;
  bursts: number;
  lastScanAt: number;
  lastStartupChanges: number;
}

export const HEAL_STATS_KEY = 'heal-status';

type Log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/**
 * File integrity, level-triggered: a start-up scan (what changed while Leuko was down), an
 * inotify watch for changes as they happen, and a periodic full scan in case an event was
 * lost. Every drift becomes a healing finding unless it is approved: inside a maintenance
 * window (judged by the inode's ctime, which a process cannot set back) it is accepted into
 * the baseline instead. Whether anything is restored is the policy's call, not this loop's.
 */
export function createIntegrityMonitor(deps: {
  files: HealFiles;
  config: ProtectConfig;
  raiser: HealRaiser;
  store: Store;
  clock: Clock;
  selfPid: number;
  log: Log;
}) {
  const { files, clock } = deps;
  const cache: StatCache = new Map();
  /** What was last reported per path, so a drift left in place (observe mode) is reported once. */
  const reported = new Map<string, string>();
  const stats: IntegrityStats = {
    scans: 0,
    events: 0,
    changes: 0,
    accepted: 0,
    bursts: 0,
    lastScanAt: 0,
    lastStartupChanges: 0,
  };
  let watcher: TreeWatcher | undefined;
  let scanTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const rw = deps.config.ransomware;
  const exclude = new Set<number>([deps.selfPid, process.ppid]);

  const burst = createBurstTracker<{ sample: WriteSample; at: number }, Writer | undefined>(
    { files: rw.files, windowMs: rw.window * 1000, holdMs: rw.hold * 1000, entropy: rw.entropy },
    {
      now: () => clock.now(),
      // First write sample and fd scan at the first suspicious change...
      start: async () => ({ sample: await sampleWrites(), at: clock.now() }),
      // ... the second sample and the suspects' confirmation half-way to a burst.
      narrow: async (root, first, bytes) => {
        const f = await first;
        const wait = 60 - (clock.now() - f.at);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const after = await sampleWrites();
        return findWriter({ root, before: f.sample, after, treeBytes: bytes(), exclude });
      },
      release: (c) => void handleOne(c).catch((err) => deps.log('error', 'healing failed', { error: String(err) })),
    },
  );

  const keyOf = (c: Change) =>
    c.after
      ? `${c.after.type}:${c.after.sha ?? c.after.target ?? ''}:${c.after.mode}:${c.after.uid}:${c.after.gid}`
      : 'absent';

  async function beforeContent(c: Change): Promise<Buffer | undefined> {
    const b = c.before;
    if (b?.type !== 'file' || !b.sha || b.tooLarge || b.size > 1024 * 1024) return undefined;
    return files.blobs.get(b.sha).catch(() => undefined);
  }

  /** Approved changes: inside a maintenance window they become the new known-good. */
  async function approved(changes: Change[]): Promise<Change[]> {
    const windows = readWindows(files.dir);
    if (windows.length === 0) return changes;
    const now = clock.now();
    const open = activeWindow(windows, now);
    const accept: Change[] = [];
    const rest: Change[] = [];
    for (const c of changes) {
      const w = open ?? (c.ctimeMs === undefined ? undefined : changedInWindow(windows, c.ctimeMs));
      // A removal has no ctime to judge; only an open window approves it.
      if (w && (c.ctimeMs !== undefined || open)) accept.push(c);
      else rest.push(c);
    }
    if (accept.length > 0) {
      const done = await acceptPaths(
        files,
        accept.map((c) => c.path),
      );
      stats.accepted += accept.length;
      for (const c of accept) reported.delete(c.path);
      const audit: AuditInput[] = [
        {
          kind: 'action',
          action: 'heal.accepted',
          subject: 'baseline',
          actor: 'healing:maintenance',
          at: now,
          data: { paths: done.map((d) => d.path), reason: 'changed inside a maintenance window' },
        },
      ];
      await deps.raiser.audit(audit);
      deps.log('info', `maintenance window: accepted ${accept.length} change(s) into the baseline`);
    }
    return rest;
  }

  async function raise(findings: HealFinding[]): Promise<void> {
    if (findings.length === 0) return;
    const { decisions, incidents } = await deps.raiser.raise(findings);
    // The enforcer applied and verified what policy allowed; say so on the incidents.
    const restoring = decisions.filter((d) => d.action === 'restore-file' || d.action === 'quarantine-file');
    if (restoring.length === 0) return;
    const final = await Promise.all(restoring.map((d) => deps.store.getDecision(d.id)));
    const verified = final.filter((d) => d?.status === 'verified');
    if (verified.length === 0) return;
    for (const i of incidents) {
      const mine = verified.filter((d) => d?.incidentId === i.id);
      if (mine.length === 0) continue;
      await deps.raiser.settle(
        [i],
        mine.map((d) => `${d?.action} ${d?.value}: ${d?.statusReason ?? 'verified'}`).join('; '),
        mine.length === restoring.filter((d) => d.incidentId === i.id).length,
      );
    }
  }

  async function handleOne(c: Change): Promise<void> {
    const f = changeFinding(c, await beforeContent(c));
    reported.set(c.path, keyOf(c));
    stats.changes++;
    await raise([f]);
  }

  /** Changes found by the watcher or a scan. */
  async function handle(changes: Change[], via: string): Promise<void> {
    const fresh = changes.filter((c) => reported.get(c.path) !== keyOf(c));
    if (fresh.length === 0) return;
    const rest = await approved(fresh);
    const now: Change[] = [];
    for (const c of rest) {
      if (c.root.role !== 'path') {
        // Service config: reported, not restored (the supervisor rolls it back when needed).
        now.push(c);
        continue;
      }
      const ent = c.content && c.after?.type === 'file' ? entropy(c.content) : undefined;
      const v = via === 'watch' ? burst.observe(c, ent) : { kind: 'pass' as const };
      if (v.kind === 'pass') now.push(c);
      else if (v.kind === 'burst') void onBurst(c.root.root, v.changes, v.suspect);
      else if (v.kind === 'folded') reported.set(c.path, keyOf(c));
    }
    if (now.length === 0) return;
    const findings: HealFinding[] = [];
    for (const c of now) {
      reported.set(c.path, keyOf(c));
      stats.changes++;
      const f = changeFinding(c, await beforeContent(c));
      findings.push(
        via === 'start-up'
          ? { ...f, explanation: `${f.explanation} (found at start-up: changed while Leuko was not running)` }
          : f,
      );
    }
    await raise(findings);
  }

  async function onBurst(root: string, changes: Change[], suspect: Promise<Writer | undefined>) {
    stats.bursts++;
    const t0 = clock.now();
    try {
      const writer = await suspect.catch(() => undefined);
      const ents = changes.map((c) => (c.content ? entropy(c.content) : 0)).filter((e) => e > 0);
      const meanEntropy = ents.length ? ents.reduce((a, b) => a + b, 0) / ents.length : 0;
      for (const c of changes) reported.set(c.path, keyOf(c));
      deps.log(
        'warn',
        `ransomware-like burst under ${root}: ${changes.length} files; writer ${writer ? `${writer.pid} (${writer.comm})` : 'not identified'} (${clock.now() - t0} ms after the burst)`,
      );
      await raise([burstFinding({ root, changes, writer, windowMs: rw.window * 1000, meanEntropy })]);
      deps.log('info', `burst under ${root}: frozen and restored ${clock.now() - t0} ms after the burst`);
      // The writer is frozen now: what it wrote between the burst and the freeze is restored
      // in one more pass over the tree, on the same incident.
      if (writer) await restoreTree(root, 'after the writer was frozen');
    } catch (err) {
      deps.log('error', 'burst handling failed', { error: String(err) });
    }
    // Without a frozen writer, changes keep folding into the burst: one more pass once quiet.
    const followUp = () => {
      if (closed) return;
      if (burst.inBurst(root)) {
        setTimeout(followUp, 200).unref();
        return;
      }
      void enqueue(() => restoreTree(root, 'once the burst was over'));
    };
    setTimeout(followUp, 200).unref();
  }

  /** One tree-wide restore for what is left of a burst (one decision, not one per file). */
  async function restoreTree(root: string, when: string): Promise<void> {
    const r = files.state.roots.find((x) => x.root === root);
    if (!r) return;
    const left = await scanRoot(files, r, cache);
    if (left.length === 0) return;
    for (const c of left) reported.set(c.path, keyOf(c));
    await raise([
      {
        scenario: 'leuko/heal-ransomware-burst',
        entity: { type: 'file', value: root },
        severity: 'critical',
        techniques: ['T1486'],
        explanation: `${left.length} more file(s) under ${root} changed by the burst ${when}: restoring the tree again`,
        evidence: left.slice(0, 20).map((c) => `${c.kind} ${c.path}`),
        labels: { root, files: String(left.length) },
        actions: [
          {
            action: 'restore-file',
            scope: 'file',
            value: root,
            reason: `restore the rest of ${root} ${when}`,
            durationS: 3600,
          },
        ],
      },
    ]);
  }

  async function onPaths(paths: string[]): Promise<void> {
    stats.events += paths.length;
    files.baseline.refresh();
    const changes: Change[] = [];
    for (const p of paths) {
      const c = await inspectPath(files, p, cache);
      if (c) changes.push(c);
      else reported.delete(p);
      // A removed directory: its baseline children vanish with it, one change for the directory is enough.
    }
    await handle(changes, 'watch');
  }

  async function fullScan(via: string): Promise<number> {
    const temps: string[] = [];
    const changes = await scanAll(files, cache, temps);
    // Restore temp files left by a kill -9: never the real file, always safe to delete.
    for (const t of temps) await fs.unlink(t).catch(() => undefined);
    stats.scans++;
    stats.lastScanAt = clock.now();
    await handle(changes, via);
    return changes.length;
  }

  // Watch events are handled one batch at a time, in order.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<unknown>) => {
    chain = chain.then(work).then(
      () => undefined,
      (err) => deps.log('error', 'healing pass failed', { error: String(err) }),
    );
    return chain;
  };

  return {
    stats,
    async start() {
      if (files.baseline.size === 0) {
        deps.log(
          'warn',
          'no baseline recorded: run `leuko baseline` to record the known-good state; integrity is not enforced until then',
        );
      }
      watcher = watchTrees(
        files.state,
        (paths) => void enqueue(() => onPaths(paths)),
        (level, message) => deps.log(level, message),
      );
      await watcher.ready;
      // After the watch is in place, so nothing slips between the scan and the first event.
      await enqueue(async () => {
        stats.lastStartupChanges = await fullScan('start-up');
      });
      const every = deps.config.scan_interval * 1000;
      scanTimer = setInterval(() => void enqueue(() => fullScan('scan')), every);
      scanTimer.unref();
    },
    /** Run a full scan now (tests, `leuko heal scan`). */
    scan: () => enqueue(() => fullScan('scan')),
    idle: () => chain,
    async stop() {
      closed = true;
      watcher?.close();
      if (scanTimer) clearInterval(scanTimer);
      burst.close();
      await chain;
    },
  };
}
