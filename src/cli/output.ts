import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import pc from 'picocolors';
import { writeJsonStream } from './json-stream.js';

/**
 * CommonJS packages only some runs need (tables for people, progress bars on a TTY), loaded
 * on first use: a `replay --json` in a pipe would otherwise load and compile them on each start.
 */
export const lazyRequire = createRequire(import.meta.url);

/** Print one JSON document (pretty when a person reads it, compact and streamed when piped). */
export function printJson(value: unknown): void {
  if (process.stdout.isTTY) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  writeJsonStream(value, (s) => process.stdout.write(s));
  process.stdout.write('\n');
}

export function printTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  if (rows.length === 0) {
    process.stdout.write(pc.dim('(none)\n'));
    return;
  }
  const Table = lazyRequire('cli-table3') as typeof TableType;
  const table = new Table({ head: head.map((h) => pc.bold(h)), style: { head: [], border: [] }, wordWrap: true });
  for (const r of rows) table.push(r.map(String));
  process.stdout.write(`${table.toString()}\n`);
}

export function iso(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString().replace('.000Z', 'Z') : '-';
}

/** Write a problem to stderr and set a failing exit code without killing pending output. */
export function fail(message: string, code = 1): void {
  process.stderr.write(`${pc.red('error')}: ${message}\n`);
  process.exitCode = code;
}
