import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type FileTruth,
  type GroundTruth,
  generateBenchLogs,
  NGINX_FILE,
  SSHD_FILE,
  TRUTH_FILE,
} from '../generate/index.js';

export interface Dataset {
  readonly truth: GroundTruth;
  readonly paths: { readonly sshd?: string; readonly nginx?: string };
  readonly generatedSeconds?: number;
}

/**
 * The log window: three days ago, midnight UTC. Recent enough that year-less syslog stamps
 * resolve to the current year in every tool, and wholly in the past so no tool pushes half the
 * file into the previous year.
 */
export function benchStart(now: number): number {
  const day = 86_400_000;
  return Math.floor(now / day) * day - 3 * day;
}

function reusable(outDir: string, f: FileTruth | undefined, lines: number): boolean {
  if (f === undefined || f.lines !== lines) return false;
  const p = path.join(outDir, f.file);
  return existsSync(p) && statSync(p).size === f.bytes;
}

/** Generate the logs, or reuse the ones in `outDir` when seed, size and window match. */
export function prepareDataset(opts: {
  outDir: string;
  lines: number;
  seed: string;
  start: number;
  only?: 'sshd' | 'nginx';
  regen: boolean;
}): Dataset {
  const truthPath = path.join(opts.outDir, TRUTH_FILE);
  const want = { sshd: opts.only !== 'nginx', nginx: opts.only !== 'sshd' };
  const paths = {
    ...(want.sshd ? { sshd: path.join(opts.outDir, SSHD_FILE) } : {}),
    ...(want.nginx ? { nginx: path.join(opts.outDir, NGINX_FILE) } : {}),
  };
  if (!opts.regen && existsSync(truthPath)) {
    try {
      const old = JSON.parse(readFileSync(truthPath, 'utf8')) as GroundTruth;
      const same = old.version === 1 && old.seed === opts.seed && old.start === new Date(opts.start).toISOString();
      if (
        same &&
        (!want.sshd || reusable(opts.outDir, old.files.sshd, opts.lines)) &&
        (!want.nginx || reusable(opts.outDir, old.files.nginx, opts.lines))
      ) {
        return { truth: old, paths };
      }
    } catch {
      // A broken ground-truth file is regenerated below.
    }
  }
  const t0 = performance.now();
  const truth = generateBenchLogs({
    outDir: opts.outDir,
    lines: opts.lines,
    seed: opts.seed,
    start: opts.start,
    ...(opts.only === undefined ? {} : { only: opts.only }),
  });
  return { truth, paths, generatedSeconds: (performance.now() - t0) / 1000 };
}
