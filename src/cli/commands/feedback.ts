import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { createIdGenerator } from '../../core/ids.js';
import {
  acceptSuppressions,
  proposeSuppressions,
  rememberIndicators,
  type SuppressionScope,
} from '../../learning/feedback.js';
import { extractIndicators } from '../../learning/indicators.js';
import { openLearningRepo } from '../../learning/learning-repo.js';
import { replayWhatIf, type WhatIfResult } from '../../learning/what-if.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openStoreAt } from '../runtime-store.js';
import { fail, iso, printJson, printTable } from '../output.js';

interface FeedbackOptions {
  falsePositive?: boolean;
  truePositive?: boolean;
  scope: string;
  accept?: boolean;
  json?: boolean;
}

/**
 * `leuko feedback INCIDENT --false-positive [--scope entity|scenario] [--accept]` proposes
 * suppressions, replays the stored recent lines with and without them and prints what would
 * change; `--accept` activates them (the running daemon picks them up within seconds) and
 * dismisses the incident. `--true-positive` remembers the incident's indicators (immune memory).
 */
export function registerFeedback(program: Command): void {
  program
    .command('feedback')
    .description('teach Leuko from a verdict on an incident (false positive: suppression; true positive: memory)')
    .argument('<incident>', 'incident id (see leuko incidents)')
    .option('--false-positive', 'the incident was not an attack: propose a suppression and show its replay diff')
    .option('--true-positive', 'the incident was an attack: remember its indicators')
    .option(
      '--scope <scope>',
      'false positive: `entity` (these rules, this entity) or `scenario` (these rules, everyone)',
      'entity',
    )
    .option('--accept', 'false positive: activate the proposed suppression after showing the diff')
    .option('--json', 'print JSON')
    .action(async (incidentId: string, opts: FeedbackOptions, cmd: Command) => {
      if (opts.falsePositive === opts.truePositive)
        return fail('give exactly one of --false-positive or --true-positive', 2);
      if (opts.scope !== 'entity' && opts.scope !== 'scenario')
        return fail(`unknown --scope ${JSON.stringify(opts.scope)}: use entity or scenario`, 2);
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const store = await openStoreAt(runtime.storeDir);
      const repo = openLearningRepo(runtime.storeDir);
      const ids = createIdGenerator();
      const now = systemClock.now();
      const actor = `cli:${safeUser()}`;
      try {
        const incident = await store.getIncident(incidentId);
        if (!incident) return fail(`no incident ${incidentId} in ${runtime.storeDir}`, 1);
        const detections = await store.getDetections(incident.detectionIds);

        if (opts.truePositive) {
          const indicators = extractIndicators(incident, detections);
          const memories = await rememberIndicators({
            incident,
            indicators,
            repo,
            store,
            ids,
            actor,
            now,
            expiryMs: runtime.config.learning.memory.expiry * 1000,
          });
          if (opts.json) return printJson({ incident: incident.id, verdict: 'true-positive', memories });
          process.stdout.write(`${incident.id}: true positive; remembered ${memories.length} indicator(s):\n`);
          printTable(
            ['memory', 'kind', 'value', 'expires'],
            memories.map((m) => [
              m.id,
              m.kind,
              m.value.length > 60 ? `${m.value.slice(0, 57)}...` : m.value,
              iso(m.expiresAt),
            ]),
          );
          return;
        }

        const proposals = proposeSuppressions({
          incident,
          scope: opts.scope as SuppressionScope,
          repo,
          ids,
          now,
          reason: `false positive: ${incident.explanation}`.slice(0, 500),
        });
        const lines = repo.recent({ limit: runtime.config.learning.recent_events.max || 1 });
        const diff = await replayWhatIf({
          lines,
          settings: runtime.settings,
          config: runtime.config,
          baseDir: runtime.baseDir,
          active: repo.listSuppressions('active'),
          proposal: proposals,
        });
        const accepted = opts.accept
          ? await acceptSuppressions({ incident, proposals, repo, store, actor, now })
          : undefined;
        if (opts.json)
          return printJson({
            incident: incident.id,
            verdict: 'false-positive',
            proposals,
            replay: diff,
            accepted: accepted ?? null,
          });
        printDiff(
          incident.id,
          proposals.map(
            (p) => `${p.id} ${p.scenario}${p.entity ? ` for ${p.entity.type}:${p.entity.value}` : ' for everyone'}`,
          ),
          diff,
        );
        process.stdout.write(
          accepted
            ? `accepted: ${accepted.length} suppression(s) active; ${incident.id} dismissed as a false positive\n`
            : `not active yet: run again with --accept to activate\n`,
        );
      } finally {
        repo.close();
        await store.close();
      }
    });
}

function printDiff(incident: string, proposals: readonly string[], d: WhatIfResult): void {
  process.stdout.write(`${incident}: false positive; proposed:\n${proposals.map((p) => `  ${p}\n`).join('')}`);
  const span = d.from !== undefined && d.to !== undefined ? ` (${iso(d.from)} .. ${iso(d.to)})` : '';
  process.stdout.write(
    `replayed ${d.lines} recent lines${span}: ${d.before} alerts without it, ${d.after} with it\n` +
      `alerts lost: ${d.lost.reduce((n, g) => n + g.alerts, 0)}; alerts kept: ${d.kept.reduce((n, g) => n + g.alerts, 0)}\n`,
  );
  printTable(
    ['change', 'scenario', 'entity', 'alerts'],
    [
      ...d.lost.map((g) => ['lost', g.scenario, g.entity, g.alerts]),
      ...d.kept.map((g) => ['kept', g.scenario, g.entity, g.alerts]),
    ],
  );
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
