import { promises as fs } from 'node:fs';
import type { Decision } from '../../core/decision.js';
import type { ActionOutcome, ActionPlan, Responder, VerifyOutcome } from '../../core/responder.js';
import { atomicWriteFile } from '../../healing/atomic-write.js';
import { readEntry } from '../../healing/fs-entry.js';
import type { HealFiles } from '../../healing/heal-dirs.js';
import { hardenSshd, loadPosture, SSHD_WANT, sshdSettings } from '../../healing/posture.js';
import { acceptPaths } from '../../healing/record.js';
import { type CommandResult, describeResult, runCommand } from '../../platform/exec/index.js';

const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

function parse(d: Decision): { kind: string; target: string } {
  const i = d.value.indexOf(':');
  return i < 0 ? { kind: '', target: d.value } : { kind: d.value.slice(0, i), target: d.value.slice(i + 1) };
}

const PLANS: Record<string, (t: string) => string[]> = {
  sshd: (t) => [
    `set ${Object.keys(SSHD_WANT).join(', ')} to safe values in ${t} (temp, fsync, rename)`,
    'sshd -t -f the new file; put the old one back if it fails',
    'reload sshd yourself when ready (not done automatically)',
  ],
  uid0: (t) => [`usermod -L -e 1 ${t} (lock password, expire the account)`],
  lock: (t) => [`usermod -L ${t} (lock the password)`],
  keys: (t) => [`rewrite ${t} without the keys not in the baseline`],
  persist: (t) => [`move ${t} to quarantine`],
  mode: (t) => [`chmod o-w,u-s,g-s ${t}`, 'accept the new mode into the baseline'],
};

/**
 * `fix-posture`: apply the documented fix for a posture finding (`KIND:TARGET`). Files it
 * changes inside protected paths are accepted into the baseline, so the integrity monitor
 * does not put the risky version back.
 */
export function createPostureFixResponder(files: HealFiles): Responder {
  const accept = async (p: string) => {
    if (files.state.rootOf(p)) await acceptPaths(files, [p]);
  };
  return {
    type: 'posture-fix',
    actions: ['fix-posture'],
    plan(d): ActionPlan {
      const { kind, target } = parse(d);
      return {
        decisionId: d.id,
        responder: 'posture-fix',
        summary: `fix ${kind} posture of ${target}`,
        steps: PLANS[kind]?.(target) ?? [`unknown posture fix ${kind}`],
        blastRadius: kind === 'sshd' || kind === 'uid0' || kind === 'lock' ? 'high' : 'medium',
        reversible: kind !== 'uid0',
      };
    },
    async apply(decisions, ctx) {
      const out = new Map<string, ActionOutcome>();
      for (const d of decisions) {
        const { kind, target } = parse(d);
        try {
          if (kind === 'sshd') {
            const before = await fs.readFile(target, 'utf8');
            const st = await fs.stat(target);
            await atomicWriteFile(target, Buffer.from(hardenSshd(before)), {
              mode: st.mode & 0o7777,
              uid: st.uid,
              gid: st.gid,
            });
            const check = await checkSshdConfig(target);
            if (check.code !== 0 && !check.spawnError) {
              await atomicWriteFile(target, Buffer.from(before), { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
              out.set(d.id, {
                kind: 'failed',
                error: `sshd -t rejected the hardened file (restored): ${describeResult(check)}`,
                retryable: false,
              });
              continue;
            }
            await accept(target);
            out.set(d.id, { kind: 'applied', detail: `hardened ${target}; reload sshd to use it` });
          } else if (kind === 'uid0') {
            const r = await runCommand(['usermod', '-L', '-e', '1', target], { timeoutMs: 5000, env: ENV });
            out.set(
              d.id,
              r.code === 0
                ? { kind: 'applied', detail: `locked ${target}` }
                : { kind: 'failed', error: describeResult(r), retryable: false },
            );
          } else if (kind === 'lock') {
            const r = await runCommand(['usermod', '-L', target], { timeoutMs: 5000, env: ENV });
            out.set(
              d.id,
              r.code === 0
                ? { kind: 'applied', detail: `locked ${target}` }
                : { kind: 'failed', error: describeResult(r), retryable: false },
            );
          } else if (kind === 'keys') {
            const base = (await loadPosture(files))?.authorizedKeys[target] ?? [];
            const known = new Set(base);
            const text = await fs.readFile(target, 'utf8');
            const kept = text
              .split('\n')
              .filter((l) => l.trim() === '' || l.trim().startsWith('#') || known.has(l.trim()));
            const st = await fs.stat(target);
            await atomicWriteFile(target, Buffer.from(kept.join('\n')), {
              mode: st.mode & 0o7777,
              uid: st.uid,
              gid: st.gid,
            });
            await accept(target);
            out.set(d.id, {
              kind: 'applied',
              detail: `removed ${text.split('\n').length - kept.length} key(s) from ${target}`,
            });
          } else if (kind === 'persist') {
            const cur = await readEntry(target, { maxContent: 0 });
            if (!cur) {
              out.set(d.id, { kind: 'skipped', reason: `${target} is already gone` });
              continue;
            }
            const q = await files.quarantine.add(target, cur.entry, 'move', {
              reason: d.reason,
              decisionId: d.id,
              at: ctx.clock.now(),
            });
            out.set(d.id, { kind: 'applied', detail: `moved ${target} to quarantine ${q.id}` });
          } else if (kind === 'mode') {
            const st = await fs.lstat(target);
            await fs.chmod(target, st.mode & 0o7777 & ~0o6002);
            await accept(target);
            out.set(d.id, { kind: 'applied', detail: `chmod ${(st.mode & 0o7777 & ~0o6002).toString(8)} ${target}` });
          } else {
            out.set(d.id, { kind: 'failed', error: `unknown posture fix ${kind}`, retryable: false });
          }
        } catch (err) {
          out.set(d.id, { kind: 'failed', error: (err as Error).message, retryable: false });
        }
      }
      return out;
    },
    async verify(d): Promise<VerifyOutcome> {
      const { kind, target } = parse(d);
      if (kind === 'sshd') {
        const s = sshdSettings(await fs.readFile(target, 'utf8').catch(() => ''));
        const bad = Object.entries(SSHD_WANT).filter(([k, w]) => w.bad.test(s.get(k) ?? ''));
        return bad.length === 0
          ? { inForce: true, detail: 'no risky sshd setting left' }
          : { inForce: false, reason: `still ${bad.map(([k]) => k).join(', ')}` };
      }
      if (kind === 'mode') {
        const st = await fs.lstat(target).catch(() => undefined);
        return st && (st.mode & 0o6002) === 0
          ? { inForce: true, detail: `mode ${(st.mode & 0o7777).toString(8)}` }
          : { inForce: false, reason: 'mode still risky' };
      }
      if (kind === 'persist') {
        const gone = !(await fs.lstat(target).catch(() => undefined));
        return gone
          ? { inForce: true, detail: `${target} quarantined` }
          : { inForce: false, reason: `${target} still present` };
      }
      return { inForce: true, detail: 'applied' };
    },
    async rollback(decisions) {
      const out = new Map<string, ActionOutcome>();
      for (const d of decisions)
        out.set(d.id, {
          kind: 'skipped',
          reason: 'posture fixes are undone by a person (quarantine restore, or edit)',
        });
      return out;
    },
  };
}

/**
 * `sshd -t -f FILE`. sshd checks its privilege-separation directory before the file, and that
 * directory lives on /run, which is empty after boot until sshd's own service creates it
 * (Debian's RuntimeDirectory=sshd, the init scripts' check_privsep_dir): on a host where sshd
 * is installed but not running, every check failed with "Missing privilege separation
 * directory" and the hardening could never be applied. Like those scripts, create the directory
 * sshd names (root-owned, 0755) and check once more; a directory that cannot be made leaves
 * the first answer, which then says why.
 */
async function checkSshdConfig(target: string): Promise<CommandResult> {
  const argv = ['sshd', '-t', '-f', target];
  const first = await runCommand(argv, { timeoutMs: 5000, env: ENV });
  const dir = first.code === 0 ? undefined : missingPrivsepDir(`${first.stderr}\n${first.stdout}`);
  if (dir === undefined) return first;
  try {
    await fs.mkdir(dir, { mode: 0o755 });
  } catch {
    return first;
  }
  return runCommand(argv, { timeoutMs: 5000, env: ENV });
}

/** The absolute directory in sshd's "Missing privilege separation directory: DIR", if any. */
export function missingPrivsepDir(output: string): string | undefined {
  const m = /Missing privilege separation directory: (\/[^\s]*)/.exec(output);
  const dir = m?.[1];
  // Only a plain absolute path: the text comes from sshd, but a path with `..` is never made.
  return dir !== undefined && !dir.split('/').includes('..') ? dir : undefined;
}
