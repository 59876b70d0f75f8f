import type { Decision } from '../../core/decision.js';
import type { ActionOutcome, ActionPlan, Responder, VerifyOutcome } from '../../core/responder.js';
import type { HealFiles } from '../../healing/heal-dirs.js';
import { restorePath, verifyPath } from '../../healing/restore.js';

/** Called after each apply with what was done (the healing add-on settles incidents with it). */
export type RestoreListener = (decision: Decision, report: Awaited<ReturnType<typeof restorePath>>) => void;

/**
 * `restore-file` and `quarantine-file` for scope `file`: make the path equal to its
 * known-good snapshot. The tampered or unknown version goes to quarantine first (kept as
 * evidence), then the content, mode and owner are restored atomically (temp file, fsync,
 * rename) and the hash is checked by `verify`. A directory is restored recursively and new
 * files under it are quarantined. Rollback does not re-tamper: the quarantined version is put
 * back only by a person (`leuko quarantine restore`).
 */
export function createRestoreFileResponder(files: HealFiles, listener?: RestoreListener): Responder {
  return {
    type: 'restore-file',
    actions: ['restore-file', 'quarantine-file'],
    plan(d: Decision): ActionPlan {
      files.baseline.refresh();
      const want = files.baseline.get(d.value);
      const steps = !want
        ? [`move ${d.value} to quarantine (not in the baseline)`]
        : want.type === 'dir'
          ? [
              `copy every changed file under ${d.value} to quarantine`,
              `restore ${files.baseline.under(d.value).length} entries under ${d.value} from snapshots (temp, fsync, rename)`,
              `move files under ${d.value} that the baseline does not know to quarantine`,
            ]
          : [
              `copy ${d.value} to quarantine`,
              want.type === 'file'
                ? `write snapshot ${want.sha?.slice(0, 12)} to a temp file, chown ${want.uid}:${want.gid}, chmod ${want.mode.toString(8)}, fsync, rename over ${d.value}`
                : `recreate ${want.type} ${d.value}`,
              'verify the sha256',
            ];
      return {
        decisionId: d.id,
        responder: 'restore-file',
        summary: want ? `restore ${d.value} from its known-good snapshot` : `quarantine ${d.value}`,
        steps,
        blastRadius: 'medium',
        reversible: true,
      };
    },
    async apply(decisions, ctx) {
      const out = new Map<string, ActionOutcome>();
      for (const d of decisions) {
        if (d.scope !== 'file') {
          out.set(d.id, { kind: 'failed', error: `scope ${d.scope} is not file`, retryable: false });
          continue;
        }
        try {
          const report = await restorePath(files, d.value, {
            reason: d.reason,
            decisionId: d.id,
            at: ctx.clock.now(),
          });
          listener?.(d, report);
          if (report.errors.length > 0 && report.steps.length === 0) {
            out.set(d.id, { kind: 'failed', error: report.errors.join('; '), retryable: true });
          } else {
            const q = report.quarantined.map((r) => r.id);
            out.set(d.id, {
              kind: 'applied',
              detail: `${report.steps.join('; ') || 'already in its known-good state'}${q.length ? `; quarantine ${q.join(', ')}` : ''}${report.errors.length ? `; errors: ${report.errors.join('; ')}` : ''}`,
            });
          }
        } catch (err) {
          out.set(d.id, { kind: 'failed', error: (err as Error).message, retryable: true });
        }
      }
      return out;
    },
    async verify(d): Promise<VerifyOutcome> {
      const problems = await verifyPath(files, d.value);
      if (problems.length === 0) {
        const want = files.baseline.get(d.value);
        return {
          inForce: true,
          detail: want?.sha
            ? `sha256 ${want.sha.slice(0, 16)}… matches the snapshot`
            : `${d.value} matches the baseline`,
        };
      }
      return { inForce: false, reason: problems.slice(0, 5).join('; ') };
    },
    async rollback(decisions) {
      // Undoing a restore would put the tampered file back: never automatic.
      const out = new Map<string, ActionOutcome>();
      for (const d of decisions)
        out.set(d.id, {
          kind: 'skipped',
          reason: 'a restore is not undone automatically; see leuko quarantine restore',
        });
      return out;
    },
  };
}
