import Table from 'cli-table3';
import type { LabReport } from './run-lab.js';

const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(0)} ms`);

/** The per-attack table `npm run lab` prints, plus the medians and the client's record. */
export function formatReport(r: LabReport): string {
  const t = new Table({
    head: [
      'attack',
      'attacker',
      'first line → ban',
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
      a.bannedAt === null ? (a.firstLine ? 'not banned' : 'no log line') : ms(a.ttcMs),
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
    `median reaction (last line before the ban → ban in force):    ${ms(r.medianReactMs)}`,
    `legitimate client over the run: ${r.clientOverall.ok} ok, ${r.clientOverall.failed} failed${r.clientEverBanned ? ', CLIENT WAS BANNED' : ', never banned'}`,
    ...r.clientOverall.failures.slice(0, 5).map((f) => `  client failure: ${f.kind} ${f.target} ${f.detail}`),
    `namespaces left after teardown: ${r.leftoverNamespaces.length ? r.leftoverNamespaces.join(', ') : 'none'}   run took ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  return lines.join('\n');
}
