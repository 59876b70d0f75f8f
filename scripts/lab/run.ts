/**
 * `npm run lab` -> `tsx scripts/lab/run.ts [--enforcer leuko,fail2ban (default) | leuko | fail2ban] [--attacks a,b]
 *   [--sshd-log syslog|file] [--json] [--keep] [--profile] [--noise N]`
 * --noise N: before the attacks, one failed login and one 404 from each of N other addresses
 * (log lines only), so the enforcers work with N open buckets as on a busy host.
 * --profile: also show where Leuko's time goes per attack (inotify wake-up, detection, store
 * commit, nft process), from a preload that stamps those events inside the Leuko process.
 * Runs real attack tools against sshd and nginx in network namespaces and prints, per attack,
 * time from the first malicious log line to the ban being in force, whether the attacker was
 * cut off and whether the legitimate client kept working. Needs root (ip netns).
 */
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { ENFORCERS } from '../../test/lab/enforcers/index.js';
import { canUseNetns } from '../../test/lab/netns.js';
import type { LeukoEnforcer } from '../../test/lab/enforcers/leuko.js';
import { leukoTimeline } from '../../test/lab/leuko-timeline.js';
import { formatReport, formatTimeline } from '../../test/lab/report.js';
import { type LabReport, runLab } from '../../test/lab/run-lab.js';

const { values } = parseArgs({
  options: {
    enforcer: { type: 'string', default: 'leuko,fail2ban' },
    attacks: { type: 'string' },
    'sshd-log': { type: 'string', default: 'syslog' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    noise: { type: 'string' },
  },
});

const netns = canUseNetns();
if (!netns.ok) {
  console.error(`lab: ${netns.reason}`);
  process.exit(2);
}
const sshdLog = values['sshd-log'];
if (sshdLog !== 'syslog' && sshdLog !== 'file') {
  console.error(`lab: --sshd-log must be syslog or file, not ${sshdLog}`);
  process.exit(2);
}
const reports: LabReport[] = [];
let failed = false;
// `--enforcer leuko,fail2ban` measures both on the same lab build, one after the other.
for (const name of (values.enforcer ?? 'leuko,fail2ban').split(',').map((s) => s.trim())) {
  const factory = ENFORCERS[name];
  if (!factory) {
    console.error(`lab: unknown enforcer ${name}; known: ${Object.keys(ENFORCERS).join(', ')}`);
    process.exit(2);
  }
  const enforcer = factory({ profile: values.profile ?? false });
  try {
    const report = await runLab({
      enforcer,
      sshdLogMode: sshdLog,
      keepDir: values.keep ?? false,
      ...(values.noise ? { noise: Number(values.noise) } : {}),
      ...(values.attacks ? { attacks: values.attacks.split(',').map((s) => s.trim()) } : {}),
      log: (m) => console.error(`[lab] ${m}`),
    });
    reports.push(report);
    if (report.clientEverBanned || report.leftoverNamespaces.length > 0) failed = true;
    if (!values.json) console.log(`${formatReport(report)}\n`);
    if (values.profile && 'profileEvents' in enforcer) {
      const events = (enforcer as LeukoEnforcer).profileEvents();
      const rows = report.attacks.flatMap((a) => leukoTimeline(a, events) ?? []);
      if (!values.json) console.log(`${formatTimeline(rows)}\n`);
    }
  } catch (e) {
    // The lab has already torn itself down; say why this enforcer could not be measured.
    console.error(`lab: enforcer ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    failed = true;
  }
}
if (values.json) console.log(JSON.stringify(reports, null, 2));
else if (reports.length > 0) {
  const f = (v: number | null, d = 0) => (v === null ? '-' : `${v.toFixed(d)} ms`);
  console.log('time to contain, same lab, same tools, one run (medians over the attacks each enforcer banned):');
  const t = new Table({
    head: ['enforcer', 'banned', 'first line → ban', 'trigger line → ban', 'last line → ban', 'client failed'],
    style: { head: [], border: [] },
  });
  for (const r of reports) {
    const banned = r.attacks.filter((a) => a.bannedAt !== null).length;
    t.push([
      r.enforcer,
      `${banned}/${r.attacks.length}`,
      f(r.medianTtcMs),
      f(r.medianTriggerMs, 1),
      f(r.medianReactMs),
      `${r.clientOverall.failed}${r.clientEverBanned ? ' (CLIENT BANNED)' : ''}`,
    ]);
  }
  console.log(t.toString());
  // Per attack, side by side: what each enforcer did with the same tool.
  const names = [...new Set(reports.flatMap((r) => r.attacks.map((a) => a.attack)))];
  const side = new Table({
    head: ['attack', ...reports.flatMap((r) => [`${r.enforcer}: first line → ban`, `${r.enforcer}: trigger → ban`])],
    style: { head: [], border: [] },
  });
  for (const n of names) {
    side.push([
      n,
      ...reports.flatMap((r) => {
        const a = r.attacks.find((x) => x.attack === n);
        if (!a) return ['-', '-'];
        if (a.bannedAt === null) return ['not banned', '-'];
        return [f(a.ttcMs), `${f(a.triggerMs, 1)}${a.trigger ? ` ${a.trigger.rule}` : ''}`];
      }),
    ]);
  }
  console.log(side.toString());
}
process.exit(failed ? 1 : 0);
