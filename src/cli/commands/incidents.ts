import type { Command } from 'commander';
import type { RuntimeOptions } from '../context.js';
import { openRuntimeStore } from '../runtime-store.js';
import { fail, iso, printJson, printTable } from '../output.js';

export function registerIncidents(program: Command): void {
  const incidents = program.command('incidents').description('list incidents, or show one with its evidence');

  incidents
    .command('list', { isDefault: true })
    .description('open incidents (default), or all of them')
    .option('--all', 'include closed and dismissed incidents')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', '200')
    .action(async (opts: { all?: boolean; json?: boolean; limit: string }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const list = await store.listIncidents({
          ...(opts.all ? {} : { status: ['open', 'contained'] }),
          limit: Number(opts.limit) || 200,
        });
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'entity', 'status', 'severity', 'first seen', 'last seen', 'scenarios'],
          list.map((i) => [
            i.id,
            `${i.entity.type}:${i.entity.value}`,
            i.status,
            i.severity,
            iso(i.firstSeen),
            iso(i.lastSeen),
            i.scenarios.join(', '),
          ]),
        );
      } finally {
        await store.close();
      }
    });

  incidents
    .command('show')
    .description('one incident with its explanation, detections and evidence lines')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const store = await openRuntimeStore(cmd.optsWithGlobals() as RuntimeOptions);
      if (!store) return;
      try {
        const incident = await store.getIncident(id);
        if (!incident) return fail(`no incident ${id}`);
        const detections = await store.getDetections(incident.detectionIds);
        const decisions = (await store.listDecisions({ value: incident.entity.value, limit: 50 })).filter(
          (d) => d.incidentId === id,
        );
        if (opts.json) return printJson({ incident, detections, decisions });
        process.stdout.write(`${incident.id} ${incident.status} ${incident.severity}\n${incident.explanation}\n\n`);
        for (const d of detections) {
          process.stdout.write(`• ${iso(d.time)} ${d.scenario}: ${d.explanation}\n`);
          for (const e of d.evidence) process.stdout.write(`    ${e.message}\n`);
        }
        for (const d of decisions)
          process.stdout.write(`→ ${d.action} ${d.scope}:${d.value} (${d.status}) ${d.reason}\n`);
      } finally {
        await store.close();
      }
    });
}
