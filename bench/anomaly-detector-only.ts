/**
 * The anomaly detector alone, with nothing else running: the first `--lines` lines of a log
 * (default the 1M-line bench/out/auth.log) are parsed up front, then fed to a fresh detector
 * `--runs` times; prints the CPU time (process.cpuUsage: this thread and the GC's helpers) per
 * run. For comparing the detector's own cost between versions; `leuko replay --cpu-prof` is
 * the figure in context.
 *
 *   node --import tsx bench/anomaly-detector-only.ts [FILE] [--format sshd] [--lines 400000] [--runs 3]
 */
import { readFileSync } from 'node:fs';
import { learningSchema } from '../src/config/learning.js';
import { createManualClock } from '../src/core/clock.js';
import type { Observation } from '../src/core/event.js';
import { createSequentialIds } from '../src/core/ids.js';
import { anomalyFromConfig } from '../src/detectors/anomaly/index.js';
import { createParser } from '../src/parsers/index.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'bench/out/auth.log';
const format = opt('--format', 'sshd');
const maxLines = Number(opt('--lines', '400000'));
const runs = Number(opt('--runs', '3'));

const parse = createParser(format, { clock: createManualClock(0), logPath: file });
const observations: Observation[] = [];
const text = readFileSync(file, 'utf8');
let start = 0;
for (let n = 0; n < maxLines && start < text.length; n++) {
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end < 0 ? text.length : end);
  start = end < 0 ? text.length : end + 1;
  const parsed = parse(line);
  if (parsed !== null) observations.push({ time: parsed.time, event: parsed.event, sourceId: 'bench' });
}
for (let r = 0; r < runs; r++) {
  const detector = anomalyFromConfig(learningSchema.parse({}), createSequentialIds());
  if (!detector) throw new Error('anomaly detector disabled');
  const cpu = process.cpuUsage();
  let found = 0;
  for (const o of observations) found += detector.process(o).length;
  found += detector.tick?.(observations.at(-1)?.time ?? 0).length ?? 0;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `run ${r + 1}: ${observations.length} events, ${found} detections, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU\n`,
  );
}
