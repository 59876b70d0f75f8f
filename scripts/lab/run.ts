/**
 * `npm run lab` -> `tsx scripts/lab/run.ts [--enforcer leuko|fail2ban|leuko,fail2ban] [--attacks a,b]
 *   [--sshd-log syslog|file] [--json] [--keep]`
 * Runs real attack tools against sshd and nginx in network namespaces and prints, per attack,
 * time from the first malicious log line to the ban being in force, whether the attacker was
 * cut off and whether the legitimate client kept working. Needs root (ip netns).
 */
import { parseArgs } from 'node:util';
import { ENFORCERS } from '../../test/lab/enforcers/index.js';
import { canUseNetns } from '../../test/lab/netns.js';
import { formatReport } from '../../test/lab/report.js';
import { type LabReport, runLab } from '../../test/lab/run-lab.js';

const { values } = parseArgs({
  options: {
    enforcer: { type: 'string', default: 'fail2ban' },
    attacks: { type: 'string' },
    'sshd-log': { type: 'string', default: 'syslog' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
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
for (const name of (values.enforcer ?? 'fail2ban').split(',').map((s) => s.trim())) {
  const factory = ENFORCERS[name];
  if (!factory) {
    console.error(`lab: unknown enforcer ${name}; known: ${Object.keys(ENFORCERS).join(', ')}`);
    process.exit(2);
  }
  try {
    const report = await runLab({
      enforcer: factory(),
      sshdLogMode: sshdLog,
      keepDir: values.keep ?? false,
      ...(values.attacks ? { attacks: values.attacks.split(',').map((s) => s.trim()) } : {}),
      log: (m) => console.error(`[lab] ${m}`),
    });
    reports.push(report);
    if (report.clientEverBanned || report.leftoverNamespaces.length > 0) failed = true;
    if (!values.json) console.log(`${formatReport(report)}\n`);
  } catch (e) {
    // The lab has already torn itself down; say why this enforcer could not be measured.
    console.error(`lab: enforcer ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    failed = true;
  }
}
if (values.json) console.log(JSON.stringify(reports, null, 2));
else if (reports.length > 1) {
  console.log('time to contain, same lab, same tools (median first malicious line -> ban in force):');
  for (const r of reports) {
    const f = (v: number | null) => (v === null ? '-' : `${v.toFixed(0)} ms`);
    const banned = r.attacks.filter((a) => a.bannedAt !== null).length;
    console.log(
      `  ${r.enforcer.padEnd(10)} ${f(r.medianTtcMs).padStart(9)}   reaction ${f(r.medianReactMs).padStart(7)}   banned ${banned}/${r.attacks.length} attacks`,
    );
  }
}
process.exit(failed ? 1 : 0);
