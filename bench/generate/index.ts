import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAddressBook } from './addresses.js';
import type { FileTruth, GroundTruth } from './ground-truth.js';
import { generateNginxLog } from './nginx-log.js';
import { createRng } from './rng.js';
import type { SshDialect } from './sshd-conn.js';
import { generateSshdLog } from './sshd-log.js';

export type { AttackerTruth, AttackKind, FileTruth, GroundTruth } from './ground-truth.js';

export const SSHD_FILE = 'auth.log';
export const NGINX_FILE = 'access.log';
export const TRUTH_FILE = 'ground-truth.json';

export interface GenerateOptions {
  readonly outDir: string;
  /** Lines per file. */
  readonly lines: number;
  readonly seed: string | number;
  /** First millisecond of the log window (UTC). */
  readonly start: number;
  readonly hours?: number;
  readonly only?: 'sshd' | 'nginx';
  readonly dialects?: readonly (readonly [SshDialect, number])[];
}

/**
 * Write auth.log, access.log and ground-truth.json into `outDir`. Deterministic: the same
 * options give the same bytes.
 *
 * @example
 * const truth = generateBenchLogs({ outDir: 'bench/out', lines: 1e6, seed: 1, start: Date.UTC(2026, 1, 12) });
 */
export function generateBenchLogs(opts: GenerateOptions): GroundTruth {
  mkdirSync(opts.outDir, { recursive: true });
  const hours = opts.hours ?? 24;
  const rng = createRng(opts.seed);
  // One address book per file, so `only` does not change the other file's bytes; ground truth
  // and scoring are per file.
  const common = { lines: opts.lines, start: opts.start, spanMs: hours * 3600 * 1000 };
  let sshd: FileTruth | undefined;
  let nginx: FileTruth | undefined;
  if (opts.only !== 'nginx') {
    sshd = generateSshdLog({
      ...common,
      rng: rng.fork('sshd'),
      book: createAddressBook(rng.fork('addresses/sshd')),
      path: path.join(opts.outDir, SSHD_FILE),
      ...(opts.dialects === undefined ? {} : { dialects: opts.dialects }),
    });
  }
  if (opts.only !== 'sshd') {
    nginx = generateNginxLog({
      ...common,
      rng: rng.fork('nginx'),
      book: createAddressBook(rng.fork('addresses/nginx')),
      path: path.join(opts.outDir, NGINX_FILE),
    });
  }
  const truth: GroundTruth = {
    version: 1,
    seed: String(opts.seed),
    start: new Date(opts.start).toISOString(),
    hours,
    files: { ...(sshd === undefined ? {} : { sshd }), ...(nginx === undefined ? {} : { nginx }) },
  };
  writeFileSync(path.join(opts.outDir, TRUTH_FILE), `${JSON.stringify(truth, null, 1)}\n`);
  return truth;
}
