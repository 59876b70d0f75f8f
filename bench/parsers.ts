/**
 * Micro-benchmark of the parsers alone: lines/s of `createParser('sshd' | 'nginx')` over the
 * generated logs, with no pipeline, store or detection behind them; and of the reading before
 * them (the replay source: read, split, decode), in CPU seconds, the first stage of a replay.
 *
 *   npx tsx bench/parsers.ts [--lines 1e6] [--only sshd|nginx] [--runs 3] [--seed 1]
 *   npx tsx bench/parsers.ts --log FILE [--only sshd|nginx] [--runs 3]   (a given log, as --only's format)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { parseCount } from './lib/args.js';
import { benchStart, prepareDataset } from './lib/dataset.js';

type LineParser = (line: string) => { event: Record<string, unknown> } | null;
type CreateParser = (name: string, ctx: { clock: { now(): number }; logPath?: string }) => LineParser;

const ROOT = path.resolve(import.meta.dirname, '..');

type Emit = (batch: { lines: readonly string[] }) => Promise<void>;
type ReplaySource = { run(emit: Emit, ctx: { signal: AbortSignal; warn(): void }): Promise<void> };
type CreateReplaySource = (opts: { id: string; path: string }) => ReplaySource;

async function loadCreateReplaySource(): Promise<CreateReplaySource | undefined> {
  const file = path.join(ROOT, 'src/sources/index.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { createReplayFileSource?: unknown };
  return typeof mod.createReplayFileSource === 'function'
    ? (mod.createReplayFileSource as CreateReplaySource)
    : undefined;
}

/**
 * The log's lines decoded one by one from its bytes, as the line splitter makes them. Not
 * `text.split('\n')`: V8 returns slices of the one big string, which every parser reads more
 * slowly than the flat strings the pipeline hands it, so the figure would understate them.
 */
function readLines(logPath: string): string[] {
  const buf = readFileSync(logPath);
  const out: string[] = [];
  for (let start = 0; start < buf.length; ) {
    let nl = buf.indexOf(10, start);
    if (nl < 0) nl = buf.length;
    out.push(buf.toString('utf8', start, nl));
    start = nl + 1;
  }
  return out;
}

/** CPU seconds (user + system) of `fn`, which runs on this thread and the thread pool. */
async function cpuSeconds(fn: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** Best CPU seconds of `runs` replay-source reads of the whole file (lines are only counted). */
async function readPass(create: CreateReplaySource, logPath: string, runs: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    let lines = 0;
    const source = create({ id: 'bench', path: logPath });
    const s = await cpuSeconds(() =>
      source.run(
        async (batch) => {
          lines += batch.lines.length;
        },
        { signal: new AbortController().signal, warn: () => undefined },
      ),
    );
    if (lines === 0) throw new Error(`no lines read from ${logPath}`);
    best = Math.min(best, s);
  }
  return best;
}

async function loadCreateParser(): Promise<CreateParser | undefined> {
  const file = path.join(ROOT, 'src/parsers/index.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { createParser?: unknown };
  return typeof mod.createParser === 'function' ? (mod.createParser as CreateParser) : undefined;
}

interface PassResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly matched: number;
  readonly withSource: number;
}

function pass(create: CreateParser, format: string, logPath: string, lines: readonly string[]): PassResult {
  // A fresh parser per pass: sshd parsers keep per-connection state.
  const parse = create(format, { clock: { now: () => Date.now() }, logPath });
  let matched = 0;
  let withSource = 0;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (const line of lines) {
    const r = parse(line);
    if (r !== null) {
      matched++;
      if (r.event['source.ip'] !== undefined) withSource++;
    }
  }
  const cpu = process.cpuUsage(c0);
  return {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    matched,
    withSource,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string' },
      only: { type: 'string' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      log: { type: 'string' },
    },
  });
  const lines = values.lines === undefined ? 1_000_000 : parseCount(values.lines);
  const runs = parseCount(values.runs) ?? 3;
  if (lines === undefined) throw new Error(`--lines: not a positive count: ${values.lines}`);
  const only = values.only === 'sshd' || values.only === 'nginx' ? values.only : undefined;
  const create = await loadCreateParser();
  if (!create) {
    console.error('src/parsers/index.ts (createParser) is not there yet: nothing to measure');
    process.exitCode = 1;
    return;
  }
  const createSource = await loadCreateReplaySource();
  // A given log is measured as it is: the generated dataset is neither checked nor rewritten.
  const paths: { sshd?: string; nginx?: string } =
    values.log === undefined
      ? prepareDataset({
          outDir: path.join(ROOT, 'bench/out'),
          lines,
          seed: values.seed,
          start: benchStart(Date.now()),
          regen: false,
          ...(only === undefined ? {} : { only }),
        }).paths
      : { [only ?? 'sshd']: values.log };
  const table = new Table({
    head: [
      'parser',
      'lines',
      'best lines/s',
      'median lines/s',
      'parse CPU s',
      'read+split CPU s',
      'matched',
      'with source.ip',
    ],
    style: { head: ['cyan'] },
  });
  for (const format of ['sshd', 'nginx'] as const) {
    const logPath = paths[format];
    if (logPath === undefined) continue;
    const all = readLines(logPath);
    // Warm the JIT on a slice first, so the timed passes measure steady state.
    pass(create, format, logPath, all.slice(0, 50_000));
    const results: PassResult[] = [];
    for (let i = 0; i < runs; i++) results.push(pass(create, format, logPath, all));
    const rates = results.map((r) => all.length / r.seconds).sort((a, b) => a - b);
    const last = results[results.length - 1] as PassResult;
    const read = createSource === undefined ? undefined : await readPass(createSource, logPath, runs);
    table.push([
      format,
      all.length.toLocaleString('en-US'),
      Math.round(rates[rates.length - 1] as number).toLocaleString('en-US'),
      Math.round(rates[Math.floor(rates.length / 2)] as number).toLocaleString('en-US'),
      Math.min(...results.map((r) => r.cpuSeconds)).toFixed(2),
      read === undefined ? '-' : read.toFixed(2),
      `${((last.matched / all.length) * 100).toFixed(1)}%`,
      `${((last.withSource / all.length) * 100).toFixed(1)}%`,
    ]);
  }
  console.log(table.toString());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
});
