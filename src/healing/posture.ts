import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProtectConfig } from '../config/protect.js';
import { atomicWriteFile } from './atomic-write.js';
import { sha256 } from './fs-entry.js';
import type { HealFiles } from './heal-dirs.js';
import type { HealFinding } from './raise.js';
import { walkRoot } from './walk.js';

type Posture = ProtectConfig['posture'];

/** What posture looked like at `leuko baseline`: keys, persistence entries, root accounts. */
export interface PostureBaseline {
  readonly version: 1;
  readonly authorizedKeys: Record<string, string[]>;
  readonly persistence: Record<string, string>;
  readonly uid0: string[];
}

/** The settings a hardened sshd has; each is applied by an approved `fix-posture`. */
export const SSHD_WANT: Readonly<Record<string, { bad: RegExp; good: string }>> = {
  permitrootlogin: { bad: /^yes$/i, good: 'prohibit-password' },
  passwordauthentication: { bad: /^yes$/i, good: 'no' },
  permitemptypasswords: { bad: /^yes$/i, good: 'no' },
};
const SSHD_NAMES: Record<string, string> = {
  permitrootlogin: 'PermitRootLogin',
  passwordauthentication: 'PasswordAuthentication',
  permitemptypasswords: 'PermitEmptyPasswords',
};

const postureFile = (files: HealFiles) => path.join(files.dir, 'posture.json');

async function readText(p: string): Promise<string | undefined> {
  return fs.readFile(p, 'utf8').catch(() => undefined);
}

/** sshd uses the first value of a keyword (outside Match blocks); the defaults are safe. */
export function sshdSettings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+)\s*=?\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = (m[1] as string).toLowerCase();
    if (key === 'match') break;
    if (!out.has(key)) out.set(key, (m[2] as string).trim());
  }
  return out;
}

/** The config with every risky setting replaced by the documented one (first occurrence, or added on top). */
export function hardenSshd(text: string): string {
  const lines = text.split('\n');
  const settings = sshdSettings(text);
  const fixed = new Set<string>();
  let inMatch = false;
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] as string).trim();
    const m = /^(\S+)\s*=?\s*(.*)$/.exec(t);
    if (!m || t.startsWith('#')) continue;
    const key = (m[1] as string).toLowerCase();
    if (key === 'match') inMatch = true;
    const want = SSHD_WANT[key];
    if (!want || inMatch || fixed.has(key)) continue;
    fixed.add(key);
    if (want.bad.test((m[2] as string).trim()))
      lines[i] = `# leuko fix-posture: was ${t}\n${SSHD_NAMES[key]} ${want.good}`;
  }
  const add: string[] = [];
  for (const [key, want] of Object.entries(SSHD_WANT)) {
    if (!fixed.has(key) && settings.get(key) !== undefined && want.bad.test(settings.get(key) ?? '')) {
      add.push(`# leuko fix-posture\n${SSHD_NAMES[key]} ${want.good}`);
    }
  }
  return [...add, ...lines].join('\n');
}

function passwdUsers(text: string): { name: string; uid: number; home: string }[] {
  const out: { name: string; uid: number; home: string }[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7) continue;
    const uid = Number(f[2]);
    if (Number.isInteger(uid)) out.push({ name: f[0] as string, uid, home: f[5] as string });
  }
  return out;
}

async function authorizedKeys(p: Posture): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const users = passwdUsers((await readText(p.passwd)) ?? '');
  const homes = new Set(users.map((u) => u.home).filter((h) => h.startsWith('/') && h !== '/'));
  for (const h of homes) {
    for (const name of ['authorized_keys', 'authorized_keys2']) {
      const f = path.join(h, '.ssh', name);
      const text = await readText(f);
      if (text === undefined) continue;
      out[f] = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
    }
  }
  return out;
}

async function persistence(p: Posture): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const d of [...p.cron_dirs, ...p.systemd_dirs]) {
    const names = await fs.readdir(d).catch(() => [] as string[]);
    for (const n of names) {
      const f = path.join(d, n);
      const st = await fs.lstat(f).catch(() => undefined);
      if (!st || st.isDirectory()) continue;
      out[f] = st.isSymbolicLink()
        ? `link:${await fs.readlink(f).catch(() => '')}`
        : sha256(await fs.readFile(f).catch(() => Buffer.alloc(0)));
    }
  }
  return out;
}

/** `leuko baseline`: remember today's keys, persistence entries and root accounts as known-good. */
export async function recordPosture(files: HealFiles, p: Posture): Promise<PostureBaseline> {
  const b: PostureBaseline = {
    version: 1,
    authorizedKeys: await authorizedKeys(p),
    persistence: await persistence(p),
    uid0: passwdUsers((await readText(p.passwd)) ?? '')
      .filter((u) => u.uid === 0)
      .map((u) => u.name),
  };
  await atomicWriteFile(postureFile(files), Buffer.from(JSON.stringify(b)), { mode: 0o600 });
  return b;
}

export async function loadPosture(files: HealFiles): Promise<PostureBaseline | undefined> {
  const text = await readText(postureFile(files));
  try {
    return text === undefined ? undefined : (JSON.parse(text) as PostureBaseline);
  } catch {
    return undefined;
  }
}

/**
 * Every posture problem, each a finding with its fix (`fix-posture`, value `KIND:TARGET`),
 * which policy gates like any other action: an sshd change can lock people out, so it is
 * high impact and waits for a person.
 */
export async function checkPosture(files: HealFiles, p: Posture): Promise<HealFinding[]> {
  const out: HealFinding[] = [];
  const base = await loadPosture(files);
  const sshd = await readText(p.sshd_config);
  if (sshd !== undefined) {
    const s = sshdSettings(sshd);
    const bad = Object.entries(SSHD_WANT).filter(([k, w]) => w.bad.test(s.get(k) ?? ''));
    if (bad.length > 0) {
      const what = bad.map(([k]) => `${SSHD_NAMES[k]} ${s.get(k)}`).join(', ');
      out.push({
        scenario: 'leuko/posture-sshd',
        entity: { type: 'file', value: p.sshd_config },
        severity: 'high',
        techniques: ['T1021.004', 'T1110'],
        explanation: `${p.sshd_config} allows ${what}; the fix sets ${bad.map(([k, w]) => `${SSHD_NAMES[k]} ${w.good}`).join(', ')} (approval needed: it can lock people out)`,
        evidence: bad.map(([k]) => `${SSHD_NAMES[k]} ${s.get(k)}`),
        labels: { check: 'sshd' },
        actions: [
          {
            action: 'fix-posture',
            scope: 'file',
            value: `sshd:${p.sshd_config}`,
            reason: `harden ${p.sshd_config}: ${what}`,
            blastRadius: 'high',
          },
        ],
      });
    }
  }
  const users = passwdUsers((await readText(p.passwd)) ?? '');
  for (const u of users.filter((x) => x.uid === 0 && x.name !== 'root' && !(base?.uid0 ?? []).includes(x.name))) {
    out.push({
      scenario: 'leuko/posture-uid0',
      entity: { type: 'user', value: u.name },
      severity: 'critical',
      techniques: ['T1136.001'],
      explanation: `account ${u.name} has uid 0 (root) and was not in the baseline; the fix locks it (approval needed)`,
      labels: { check: 'uid0' },
      actions: [
        {
          action: 'fix-posture',
          scope: 'user',
          value: `uid0:${u.name}`,
          reason: `lock unexpected uid 0 account ${u.name}`,
          blastRadius: 'high',
        },
      ],
    });
  }
  // Accounts that log in with no password at all (empty hash field in shadow).
  for (const line of ((await readText(p.shadow)) ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 2 || f[0] === '' || f[1] !== '') continue;
    out.push({
      scenario: 'leuko/posture-empty-password',
      entity: { type: 'user', value: f[0] as string },
      severity: 'high',
      techniques: ['T1078.003'],
      explanation: `account ${f[0]} has an empty password in ${p.shadow}; the fix locks it (approval needed)`,
      labels: { check: 'empty-password' },
      actions: [
        {
          action: 'fix-posture',
          scope: 'user',
          value: `lock:${f[0]}`,
          reason: `lock account ${f[0]}, which has no password`,
          blastRadius: 'high',
        },
      ],
    });
  }
  if (base) {
    for (const [f, lines] of Object.entries(await authorizedKeys(p))) {
      const known = new Set(base.authorizedKeys[f] ?? []);
      const fresh = lines.filter((l) => !known.has(l));
      if (fresh.length === 0) continue;
      out.push({
        scenario: 'leuko/posture-authorized-keys',
        entity: { type: 'file', value: f },
        severity: 'high',
        techniques: ['T1098.004'],
        explanation: `${fresh.length} ssh key(s) in ${f} not in the baseline; the fix removes them`,
        evidence: fresh.map((l) => `+${l.slice(0, 120)}`),
        labels: { check: 'authorized_keys' },
        actions: [
          {
            action: 'fix-posture',
            scope: 'file',
            value: `keys:${f}`,
            reason: `remove ${fresh.length} unknown key(s) from ${f}`,
          },
        ],
      });
    }
    const now = await persistence(p);
    for (const [f, sha] of Object.entries(now)) {
      if (base.persistence[f] === sha) continue;
      const what = base.persistence[f] === undefined ? 'new' : 'changed';
      out.push({
        scenario: 'leuko/posture-persistence',
        entity: { type: 'file', value: f },
        severity: 'high',
        techniques: [f.includes('cron') ? 'T1053.003' : 'T1543.002'],
        explanation: `${what} ${f.includes('cron') ? 'cron entry' : 'systemd unit'} ${f} since the baseline; the fix quarantines it`,
        labels: { check: 'persistence' },
        actions:
          what === 'new'
            ? [
                {
                  action: 'fix-posture',
                  scope: 'file',
                  value: `persist:${f}`,
                  reason: `quarantine new persistence entry ${f}`,
                },
              ]
            : [],
      });
    }
  }
  // World-writable files and set-id binaries inside protected paths (present at baseline too).
  for (const root of files.state.roots) {
    await walkRoot(files.state, root, async (q, isDir) => {
      const st = await fs.lstat(q).catch(() => undefined);
      if (!st || st.isSymbolicLink()) return;
      const ww = (st.mode & 0o002) !== 0 && !(isDir && (st.mode & 0o1000) !== 0);
      const setid = !isDir && (st.mode & 0o6000) !== 0;
      if (!ww && !setid) return;
      out.push({
        scenario: ww ? 'leuko/posture-world-writable' : 'leuko/posture-setid',
        entity: { type: 'file', value: q },
        severity: setid ? 'high' : 'medium',
        techniques: setid ? ['T1548.001'] : ['T1222.002'],
        explanation: `${q} is ${ww ? 'world-writable' : 'setuid/setgid'} (mode ${(st.mode & 0o7777).toString(8)}) inside protected ${root.root}; the fix removes ${ww ? 'o+w' : 'the set-id bits'}`,
        labels: { check: ww ? 'world-writable' : 'setid' },
        actions: [
          { action: 'fix-posture', scope: 'file', value: `mode:${q}`, reason: `chmod ${ww ? 'o-w' : 'u-s,g-s'} ${q}` },
        ],
      });
    });
  }
  return out;
}
