/**
 * Live memory of the scenario engine over the generated sshd log: the heap after a full GC every
 * 100k lines, with the engine and without it (same parser, same lines), and the difference.
 * Unlike CPU time on a shared machine, these numbers repeat to the kilobyte from run to run, so a
 * change to bucket state can be judged from one run.
 *
 *   npx tsx --expose-gc bench/engine-memory.ts [--file bench/out/auth.log] [--every 100000]
 *
 * Lines are decoded one by one from a Buffer, as the file source does: a field value a parser
 * cuts out of a line then keeps only that line alive, not the whole file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSequentialIds } from '../src/core/ids.js';
import { createScenarioEngine } from '../src/detectors/scenarios/engine.js';
import { loadScenarios } from '../src/detectors/scenarios/load.js';
import { builtinScenarioDir } from '../src/detectors/scenarios/paths.js';
import { createParser } from '../src/parsers/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function heapCurve(file: string, every: number, withEngine: boolean): number[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc (npx tsx --expose-gc bench/engine-memory.ts)');
  const { scenarios } = loadScenarios([builtinScenarioDir()]);
  const engine = withEngine ? createScenarioEngine(scenarios, { ids: createSequentialIds() }) : undefined;
  const parse = createParser('sshd', { clock: { now: () => Date.now() }, logPath: file });
  const buf = readFileSync(file);
  const out: number[] = [];
  let lines = 0;
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    const r = parse(buf.toString('utf8', start, end));
    if (r !== null) engine?.process({ time: r.time, event: r.event, sourceId: path.basename(file) });
    start = end + 1;
    if (++lines % every === 0) {
      gc();
      out.push(process.memoryUsage().heapUsed / 1e6);
    }
  }
  return out;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      file: { type: 'string', default: path.join(ROOT, 'bench/out/auth.log') },
      every: { type: 'string', default: '100000' },
    },
  });
  const every = Math.max(1000, Number(values.every) || 100_000);
  const without = heapCurve(values.file, every, false);
  const withEngine = heapCurve(values.file, every, true);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1).padStart(6)).join(' ');
  console.log(`lines (x${every})`.padEnd(18), fmt(withEngine.map((_, i) => i + 1)));
  console.log('heap, no engine'.padEnd(18), fmt(without));
  console.log('heap, engine'.padEnd(18), fmt(withEngine));
  console.log('engine (MB)'.padEnd(18), fmt(withEngine.map((x, i) => x - (without[i] ?? 0))));
}

main();
