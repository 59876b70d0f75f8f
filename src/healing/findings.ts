import { describeDiff } from './diff.js';
import { entropy } from './entropy.js';
import type { FsEntry } from './fs-entry.js';
import type { Change } from './inspect.js';
import type { HealFinding } from './raise.js';
import type { Writer } from './writer.js';

const SCENARIO: Record<Change['kind'], string> = {
  modified: 'leuko/heal-file-modified',
  added: 'leuko/heal-file-added',
  removed: 'leuko/heal-file-removed',
  metadata: 'leuko/heal-file-metadata',
  type: 'leuko/heal-file-modified',
};

function describeEntry(e: FsEntry | undefined): string {
  if (!e) return 'absent';
  const mode = e.mode.toString(8).padStart(4, '0');
  if (e.type === 'symlink') return `symlink → ${e.target}`;
  if (e.type === 'dir') return `directory ${mode} ${e.uid}:${e.gid}`;
  return `${e.type} ${mode} ${e.uid}:${e.gid} ${e.size} bytes${e.sha ? ` sha256 ${e.sha.slice(0, 16)}…` : ''}`;
}

/** Before/after lines for the incident: entries, then a content diff. */
export function beforeAfter(change: Change, before: Buffer | undefined): string[] {
  const lines = [`before: ${describeEntry(change.before)}`, `after:  ${describeEntry(change.after)}`];
  if (change.kind === 'modified' || change.kind === 'added') {
    if (change.after?.type === 'file' && change.content) {
      lines.push(...describeDiff(before, change.content).split('\n'));
    }
  }
  return lines;
}

/** Why a change matters, in ATT&CK terms, by where and what it is. */
function techniquesOf(change: Change): string[] {
  const p = change.path;
  const t: string[] = [];
  if (/\.(php\d?|phtml|jsp|aspx?|cgi|pl)$/i.test(p) && change.kind === 'added') t.push('T1505.003');
  else if (/\/(www|html|htdocs|public)\//.test(p)) t.push('T1491.001');
  if (change.after && (change.after.mode & 0o6000) !== 0 && ((change.before?.mode ?? 0) & 0o6000) === 0)
    t.push('T1548.001');
  if (p.includes('/cron')) t.push('T1053.003');
  if (p.includes('/systemd/')) t.push('T1543.002');
  if (p.endsWith('/authorized_keys')) t.push('T1098.004');
  if (change.kind === 'removed') t.push('T1485');
  return t;
}

/**
 * A drifted protected path as a healing finding: restore it (quarantine it, when the baseline
 * does not know it). Service config (role `config`) is only reported here; it is rolled back
 * when the service's restarts keep failing.
 */
export function changeFinding(change: Change, before: Buffer | undefined): HealFinding {
  const what =
    change.kind === 'added'
      ? `new ${change.after?.type ?? 'file'} ${change.path} not in the baseline`
      : change.kind === 'removed'
        ? `${change.path} was removed`
        : `${change.path} changed (${change.aspects.join(', ')})`;
  const ent = change.content && change.after?.type === 'file' ? entropy(change.content) : undefined;
  const restore = change.root.role === 'path';
  const action = change.kind === 'added' ? 'quarantine-file' : 'restore-file';
  // A dropped webshell is an intrusion in progress; any other drift of a protected path is high.
  const severity = change.kind === 'added' && techniquesOf(change).includes('T1505.003') ? 'critical' : 'high';
  return {
    scenario: SCENARIO[change.kind],
    entity: { type: 'file', value: change.path },
    severity,
    techniques: techniquesOf(change),
    explanation: `${what} under protected ${change.root.role === 'config' ? `config of service ${change.root.service}` : 'path'} ${change.root.root}${ent === undefined ? '' : `; new content entropy ${ent.toFixed(2)} bits/byte`}${restore ? '' : '; kept until the service fails (then rolled back)'}`,
    evidence: beforeAfter(change, before),
    labels: {
      path: change.path,
      root: change.root.root,
      kind: change.kind,
      ...(change.before?.sha ? { before_sha256: change.before.sha } : {}),
      ...(change.after?.sha ? { after_sha256: change.after.sha } : {}),
    },
    actions: restore
      ? [
          {
            action,
            scope: 'file',
            value: change.path,
            reason: `${what}: ${action === 'quarantine-file' ? 'move it to quarantine' : 'restore the known-good snapshot'}`,
          },
        ]
      : [],
  };
}

/** A ransomware-like burst: freeze the writer, restore the whole tree, one incident. */
export function burstFinding(opts: {
  root: string;
  changes: readonly Change[];
  writer: Writer | undefined;
  windowMs: number;
  meanEntropy: number;
}): HealFinding {
  const { root, changes, writer } = opts;
  const renamed = changes.filter((c) => c.kind === 'added').length;
  const removed = changes.filter((c) => c.kind === 'removed').length;
  const rewritten = changes.filter((c) => c.kind === 'modified').length;
  const who = writer
    ? `by pid ${writer.pid} (${writer.comm}), which ${writer.how}`
    : 'by a process that could not be identified (it may have exited)';
  const sample = changes.slice(0, 20).map((c) => `${c.kind} ${c.path}`);
  return {
    scenario: 'leuko/heal-ransomware-burst',
    entity: { type: 'file', value: root },
    severity: 'critical',
    techniques: ['T1486'],
    confidence: writer ? 0.95 : 0.8,
    explanation: `ransomware-like burst under ${root}: ${changes.length} files changed within ${Math.round(opts.windowMs)} ms (${rewritten} rewritten, ${renamed} new, ${removed} removed; mean entropy ${opts.meanEntropy.toFixed(2)} bits/byte) ${who}`,
    evidence: sample,
    labels: {
      root,
      files: String(changes.length),
      ...(writer ? { pid: String(writer.pid), comm: writer.comm } : {}),
    },
    actions: [
      ...(writer
        ? [
            {
              action: 'freeze',
              scope: 'process' as const,
              value: `${writer.pid}@${writer.startTicks}`,
              reason: `stop pid ${writer.pid} (${writer.comm}) encrypting files under ${root}; killing it is left to policy or a person`,
              // Stays frozen for a week unless someone decides; expiry would resume it.
              durationS: 7 * 86_400,
            },
            {
              action: 'kill',
              scope: 'process' as const,
              value: `${writer.pid}@${writer.startTicks}`,
              reason: `kill frozen pid ${writer.pid} (${writer.comm}) after the burst under ${root}`,
              // High: a person confirms (leuko approve), unless policy.allow_high_impact lists kill.
              blastRadius: 'high' as const,
              durationS: 7 * 86_400,
            },
          ]
        : []),
      {
        action: 'restore-file',
        scope: 'file' as const,
        value: root,
        reason: `restore every file under ${root} from its snapshot and quarantine the encrypted copies`,
        durationS: 3600,
      },
    ],
  };
}
