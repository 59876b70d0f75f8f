import type { Command } from 'commander';
import pc from 'picocolors';
import { systemClock } from '../../core/clock.js';
import type { Detection } from '../../core/detection.js';
import { formatDurationS } from '../../core/duration.js';
import type { EcsEvent } from '../../core/event.js';
import { createSequentialIds } from '../../core/ids.js';
import { banTarget } from '../../decisions/decision-scope.js';
import { escalatedDurationS } from '../../decisions/escalation.js';
import { createScenarioEngine, type Scenario } from '../../detectors/scenarios/index.js';
import { createParser } from '../../parsers/index.js';
import { loadConfiguredScenarios } from '../../pipeline/assemble.js';
import { createAllowlist } from '../../policy/allowlist.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { printJson } from '../output.js';

interface LineExplanation {
  line: string;
  parser: { requested: string; recognized: string | null };
  event: EcsEvent | null;
  scenarios: { name: string; kind: string; group: string | null }[];
  detections: { scenario: string; entity: string; explanation: string; decision: string | null }[];
}

/**
 * `leuko explain LINE...`: what each stage did with each line — the parser that recognized it,
 * the ECS event, the scenarios whose filter it passes (with the bucket key), and any detection
 * and decision. Several lines go through one engine, so pasting a burst shows the bucket fire.
 */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('show what each pipeline stage does with one or more log lines')
    .argument('<lines...>', 'log lines (quote each one)')
    .option('-f, --format <name>', 'parser to use (default: recognize the line)', 'auto')
    .option('--json', 'print JSON')
    .action((lines: string[], opts: { format: string; json?: boolean }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const scenarios = loadConfiguredScenarios(runtime.settings.scenarios);
      const engine = createScenarioEngine(scenarios, { ids: createSequentialIds() });
      const parse = createParser(opts.format, { clock: systemClock });
      const allowlist = createAllowlist(runtime.settings.allowlist);
      const out: LineExplanation[] = lines.map((line) => {
        const parsed = parse(line);
        const event = parsed?.event ?? null;
        const matched = event ? scenarios.filter((s) => s.filter.test({ event, cache: new Map() })) : [];
        const detections = parsed
          ? engine.process({ time: parsed.time, event: parsed.event, sourceId: 'explain' })
          : [];
        return {
          line,
          parser: { requested: opts.format, recognized: event ? (event['event.dataset'] ?? 'unknown') : null },
          event,
          scenarios: matched.map((s) => ({
            name: s.name,
            kind: describeKind(s),
            group: event ? groupOf(s, event) : null,
          })),
          detections: detections.map((d) => ({
            scenario: d.scenario,
            entity: `${d.entity.type}:${d.entity.value}`,
            explanation: d.explanation,
            decision: describeDecision(d, allowlist, runtime.settings),
          })),
        };
      });
      if (opts.json) return printJson(out.length === 1 ? out[0] : out);
      for (const x of out) printExplanation(x);
    });
}

function describeKind(s: Scenario): string {
  const p = s.params;
  switch (p.kind) {
    case 'leaky':
      return `leaky bucket: overflows past ${p.capacity} events, leaking one per ${formatDurationS(p.leakMs / 1000)}`;
    case 'trigger':
      return 'trigger: fires on the first matching event';
    case 'window':
      return `${p.mode} window: ${p.threshold} ${p.countDistinct ? `distinct ${p.countDistinct}` : 'events'} in ${formatDurationS(p.windowMs / 1000)}`;
    case 'cadence':
      return `cadence: ${p.minEvents} events spaced >= ${formatDurationS(p.minMedianIntervalMs / 1000)} apart`;
    case 'sequence':
      return `sequence: ${p.threshold} events in ${formatDurationS(p.windowMs / 1000)}, then one of its \`followed_by\` filter`;
    case 'distributed':
      return `distributed: ${p.threshold} distinct ${p.sourceField} in ${formatDurationS(p.windowMs / 1000)}`;
  }
}

function groupOf(s: Scenario, event: EcsEvent): string | null {
  const parts = s.groupBy.map((f) => event[f]);
  if (parts.some((v) => v === undefined)) return s.groupDefault ?? null;
  return parts.map(String).join(' ');
}

function describeDecision(
  d: Detection,
  allowlist: ReturnType<typeof createAllowlist>,
  settings: {
    decisions: { escalation: Parameters<typeof escalatedDurationS>[2]; ipv6Scope: Parameters<typeof banTarget>[1] };
  },
): string | null {
  if (!d.remediation) return null;
  const entry = allowlist.match(d.entity.value);
  if (entry !== undefined) return `none: ${d.entity.value} is allowlisted (${entry})`;
  const target = banTarget(d.entity.value, settings.decisions.ipv6Scope);
  if (!target) return null;
  const duration = escalatedDurationS(
    d.remediation.durationS,
    1,
    settings.decisions.escalation,
    `${target.scope}:${target.value}`,
  );
  return `${d.remediation.action} ${target.scope}:${target.value} for ${formatDurationS(duration)} (first offence; longer for repeat offenders)`;
}

function printExplanation(x: LineExplanation): void {
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(pc.bold('line     ') + x.line);
  if (!x.event) {
    w(`${pc.bold('parser   ')}${pc.yellow(`no parser recognized this line (format ${x.parser.requested})`)}`);
    w('');
    return;
  }
  w(
    `${pc.bold('parser   ')}${x.parser.recognized}${x.parser.requested === 'auto' ? ' (recognized from the content)' : ''}`,
  );
  w(pc.bold('event'));
  for (const [k, v] of Object.entries(x.event)) if (k !== 'message') w(`  ${k.padEnd(28)} ${JSON.stringify(v)}`);
  if (x.scenarios.length === 0) w(`${pc.bold('scenarios')} none of the scenarios takes this event`);
  else {
    w(pc.bold('scenarios'));
    for (const s of x.scenarios) w(`  ${s.name}${s.group ? ` [${s.group}]` : ''}: ${s.kind}`);
  }
  for (const d of x.detections) {
    w(`${pc.bold(pc.red('detection'))} ${d.scenario} ${d.entity}: ${d.explanation}`);
    if (d.decision) w(`${pc.bold('decision ')} ${d.decision}`);
  }
  w('');
}
