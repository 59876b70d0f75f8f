import Table from 'cli-table3';
import type { LeukoTimeline } from './leuko-timeline.js';
import type { LabReport } from './run-lab.js';

const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(0)} ms`);
const ms1 = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} ms`);

/** The per-attack table `npm run lab` prints, plus the medians and the client's record. */
export function formatReport(r: LabReport): string {
  const t = new Table({
    head: [
      'attack',
      'attacker',
      'first line → ban',
      'trigger line → ban (read+detect, decide+nft)',
      'banned by',
      'last line → ban',
      'lines before ban',
      'ban set',
      'cut off (probes)',
      'tool saw',
      'client ok/failed',
    ],
    style: { head: [], border: [] },
  });
  for (const a of r.attacks) {
    const probes = a.probes.map((p) => `${p.port}:${p.outcome}`).join(' ');
    const tool = `${a.tool.boundHit ? 'time bound' : a.tool.stoppedEarly ? 'stopped after ban' : `exit ${a.tool.exitCode ?? a.tool.signal}`}, ${a.tool.timeouts} timeouts, ${a.tool.refused} refused, ${(a.tool.durationMs / 1000).toFixed(1)} s`;
    t.push([
      a.attack,
      a.attacker,
      a.bannedAt === null
        ? a.firstLine
          ? 'not banned'
          : 'no log line'
        : a.ttcMs !== null && a.ttcMs < 0
          ? `${ms(a.ttcMs)} (line stamped late)`
          : ms(a.ttcMs),
      a.triggerMs === null
        ? '-'
        : `${ms1(a.triggerMs)} (${ms1(a.detectMs)}, ${ms1(a.enforceMs)})${a.trigger?.named ? '' : ' ~'}`,
      a.trigger?.rule ?? '-',
      ms(a.reactMs),
      `${a.linesBeforeBan}/${a.linesTotal}`,
      a.banSet ?? '-',
      `${a.cutOff ? 'yes' : 'no'} (${probes})`,
      tool,
      `${a.client.ok}/${a.client.failed}`,
    ]);
  }
  const lines = [
    `enforcer: ${r.enforcer}   lab ${r.subnet} (victim ${r.victim}, client ${r.client})`,
    t.toString(),
    `median time to contain (first malicious line → ban in force): ${ms(r.medianTtcMs)}`,
    `median trigger line → ban in force:                           ${ms1(r.medianTriggerMs)} (read+detect ${ms1(r.medianDetectMs)}, decide+commit+nft ${ms1(r.medianEnforceMs)})`,
    `median reaction (last line before the ban → ban in force):    ${ms(r.medianReactMs)}`,
    '(trigger line: the line the enforcer names as the one that fired its rule; "~": it names none, so the',
    " attacker's last line before it reported the detection. first line → ban includes the attacker's own pace.)",
    `legitimate client over the run: ${r.clientOverall.ok} ok, ${r.clientOverall.failed} failed${r.clientEverBanned ? ', CLIENT WAS BANNED' : ', never banned'}`,
    ...r.clientOverall.failures.slice(0, 5).map((f) => `  client failure: ${f.kind} ${f.target} ${f.detail}`),
    `namespaces left after teardown: ${r.leftoverNamespaces.length ? r.leftoverNamespaces.join(', ') : 'none'}   run took ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  return lines.join('\n');
}

/** The `--profile` table: Leuko's steps per attack, in ms after the lab saw the trigger line. */
export function formatTimeline(rows: readonly LeukoTimeline[]): string {
  const t = new Table({
    head: [
      'attack',
      'inotify wake',
      'detection out',
      'pipeline commit',
      'commits / nft lists before apply',
      'nft -f (spawn → exit)',
      'element in kernel',
    ],
    style: { head: [], border: [] },
  });
  const f = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(1));
  for (const r of rows) {
    t.push([
      r.attack,
      f(r.wakeMs),
      f(r.detectedMs),
      r.commitMs ? `${f(r.commitMs[0])} → ${f(r.commitMs[1])}` : '-',
      `${r.commitsBetween} / ${r.nftListsBetween}`,
      r.nftMs ? `${f(r.nftMs[0])} → ${f(r.nftMs[1])}` : '-',
      f(r.banMs),
    ]);
  }
  return [
    "Leuko's time, ms after the lab saw the trigger line (from leuko-profile-preload; same clock):",
    t.toString(),
  ].join('\n');
}
