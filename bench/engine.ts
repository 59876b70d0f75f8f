/**
 * Micro-benchmark of the scenario engine alone: events/s of `engine.process` over the parsed
 * generated logs (parsing is done up front and not timed), with every built-in scenario loaded.
 * Prints the number of detections and a digest of them (ids left out), which must not change
 * when the engine is optimized.
 *
 *   npx tsx bench/engine.ts [--runs 5] [--only sshd|nginx] [--limit 200000] [--verbose] [--dump prefix]
 *     [--scenarios dir]
 *
 * `--scenarios` pins a rule folder (compare two engine versions on the same rules); `--dump`
 * writes the detections as JSON lines for a line-by-line diff. The digest depends only on the
 * rules and the generated logs, so it is the same from tsx and from compiled output.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Detection } from '../src/core/detection.js';
import type { Observation } from '../src/core/event.js';
import { createSequentialIds } from '../src/core/ids.js';
import { createScenarioEngine } from '../src/detectors/scenarios/engine.js';
import { loadScenarios } from '../src/detectors/scenarios/load.js';
import { builtinScenarioDir } from '../src/detectors/scenarios/paths.js';
import type { Scenario } from '../src/detectors/scenarios/types.js';
import { createParser } from '../src/parsers/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function observations(format: 'sshd' | 'nginx', file: string, limit: number): Observation[] {
  const parse = createParser(format, { clock: { now: () => Date.now() }, logPath: file });
  const text = readFileSync(file, 'utf8');
  const out: Observation[] = [];
  let start = 0;
  while (start < text.length && out.length < limit) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const r = parse(text.slice(start, end));
    if (r !== null) out.push({ time: r.time, event: r.event, sourceId: path.basename(file) });
    start = end + 1;
  }
  return out;
}

interface Round {
  readonly seconds: number;
  readonly detections: Detection[];
}

function round(scenarios: readonly Scenario[], list: readonly Observation[]): Round {
  const engine = createScenarioEngine(scenarios, { ids: createSequentialIds() });
  const detections: Detection[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < list.length; i++) {
    const out = engine.process(list[i]!);
    for (let j = 0; j < out.length; j++) detections.push(out[j]!);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, detections };
}

function digest(detections: readonly Detection[]): string {
  const h = createHash('sha256');
  for (const d of detections) {
    const { id: _id, ...rest } = d;
    h.update(JSON.stringify(rest));
    h.update('\n');
  }
  return h.digest('hex').slice(0, 16);
}

function perScenario(detections: readonly Detection[]): string {
  const counts = new Map<string, number>();
  for (const d of detections) counts.set(d.scenario, (counts.get(d.scenario) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k.replace(/^leuko\//, '')}=${v}`)
    .join(' ');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      limit: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      dump: { type: 'string' },
      scenarios: { type: 'string' },
    },
  });
  const runs = Math.max(1, Number(values.runs) || 5);
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  // `--scenarios DIR` pins a scenario set, to compare two engine versions on the same rules.
  const { scenarios, issues } = loadScenarios([values.scenarios ?? builtinScenarioDir()]);
  if (issues.length > 0) throw new Error(`built-in scenarios have issues: ${issues.map((i) => i.message).join('; ')}`);
  const mixes = [
    { name: 'sshd', format: 'sshd', file: path.join(ROOT, 'bench/out/auth.log') },
    { name: 'nginx', format: 'nginx', file: path.join(ROOT, 'bench/out/access.log') },
  ] as const;
  console.log(`${scenarios.length} scenarios, ${runs} rounds per mix`);
  for (const mix of mixes) {
    if (values.only !== undefined && values.only !== mix.name) continue;
    if (!existsSync(mix.file)) {
      console.error(`${mix.file} missing: run \`npx tsx bench/run.ts --lines 200000 --skip-peers\``);
      process.exitCode = 1;
      continue;
    }
    const list = observations(mix.format, mix.file, limit);
    // Warm-up round: JIT and inline caches, not counted.
    round(scenarios, list);
    const rounds: Round[] = [];
    for (let i = 0; i < runs; i++) rounds.push(round(scenarios, list));
    const rates = rounds.map((r) => list.length / r.seconds).sort((a, b) => a - b);
    const first = rounds[0]!;
    const sums = new Set(rounds.map((r) => digest(r.detections)));
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `${mix.name.padEnd(6)} events=${list.length} best=${fmt(rates[rates.length - 1]!)}/s median=${fmt(
        rates[Math.floor(rates.length / 2)]!,
      )}/s detections=${first.detections.length} digest=${[...sums].join(',')}`,
    );
    if (values.verbose) console.log(`       ${perScenario(first.detections)}`);
    // For diffing two versions of the engine line by line.
    if (values.dump !== undefined)
      writeFileSync(`${values.dump}.${mix.name}.jsonl`, first.detections.map((d) => JSON.stringify(d)).join('\n'));
  }
}

main();
