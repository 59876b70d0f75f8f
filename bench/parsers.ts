/**
 * Micro-benchmark of the parsers alone: lines/s of `createParser('sshd' | 'nginx')` over the
 * generated logs, with no pipeline, store or detection behind them.
 *
 *   npx tsx bench/parsers.ts [--lines 1e6] [--only sshd|nginx] [--runs 3] [--seed 1]
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

async function loadCreateParser(): Promise<CreateParser | undefined> {
  const file = path.join(ROOT, 'src/parsers/index.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { createParser?: unknown };
  return typeof mod.createParser === 'function' ? (mod.createParser as CreateParser) : undefined;
}

interface PassResult {
  readonly seconds: number;
  readonly matched: number;
  readonly withSource: number;
}

function pass(create: CreateParser, format: string, logPath: string, lines: readonly string[]): PassResult {
  // A fresh parser per pass: sshd parsers keep per-connection state.
  const parse = create(format, { clock: { now: () => Date.now() }, logPath });
  let matched = 0;
  let withSource = 0;
  const t0 = process.hrtime.bigint();
  for (const line of lines) {
    const r = parse(line);
    if (r !== null) {
      matched++;
      if (r.event['source.ip'] !== undefined) withSource++;
    }
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, matched, withSource };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string' },
      only: { type: 'string' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
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
  const data = prepareDataset({
    outDir: path.join(ROOT, 'bench/out'),
    lines,
    seed: values.seed,
    start: benchStart(Date.now()),
    regen: false,
    ...(only === undefined ? {} : { only }),
  });
  const table = new Table({
    head: ['parser', 'lines', 'best lines/s', 'median lines/s', 'matched', 'with source.ip'],
    style: { head: ['cyan'] },
  });
  for (const format of ['sshd', 'nginx'] as const) {
    const logPath = data.paths[format];
    if (logPath === undefined) continue;
    const text = readFileSync(logPath, 'utf8');
    const all = text.split('\n');
    if (all[all.length - 1] === '') all.pop();
    // Warm the JIT on a slice first, so the timed passes measure steady state.
    pass(create, format, logPath, all.slice(0, 50_000));
    const results: PassResult[] = [];
    for (let i = 0; i < runs; i++) results.push(pass(create, format, logPath, all));
    const rates = results.map((r) => all.length / r.seconds).sort((a, b) => a - b);
    const last = results[results.length - 1] as PassResult;
    table.push([
      format,
      all.length.toLocaleString('en-US'),
      Math.round(rates[rates.length - 1] as number).toLocaleString('en-US'),
      Math.round(rates[Math.floor(rates.length / 2)] as number).toLocaleString('en-US'),
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
