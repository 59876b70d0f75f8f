/**
 * The Loghub 2k corpora (../shared/corpora/loghub-2k) with their ground truth, the published
 * Drain settings, and the published Drain grouping accuracy to compare against. Read in place;
 * nothing is copied into the project.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MinerSettings } from '../src/detectors/templates/miner.js';

export const LOGHUB_DIR = path.resolve(import.meta.dirname, '../../shared/corpora/loghub-2k');
const RESULTS = path.resolve(import.meta.dirname, '../../shared/corpora/loghub-2.0-results/logparser_Drain_README.md');

export interface LoghubDataset {
  readonly name: string;
  readonly settings: MinerSettings;
  /** Raw lines, split the way Python's universal-newline reader splits them. */
  readonly lines: readonly string[];
  /** Ground-truth EventId per line. */
  readonly truth: readonly string[];
  readonly published: number;
}

export function loghubAvailable(): boolean {
  return existsSync(path.join(LOGHUB_DIR, 'drain_benchmark_settings.json')) && existsSync(RESULTS);
}

/** Split like Python's text mode (`\r\n`, `\r` and `\n` all end a line); no trailing empty. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The Accuracy column of logparser's Drain README table, by dataset. */
export function publishedAccuracy(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(RESULTS, 'utf8').split('\n')) {
    const m = /^\|\s*(\w+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*$/.exec(line);
    if (m?.[1] && m[3]) out.set(m[1], Number(m[3]));
  }
  return out;
}

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function loadLoghub(): LoghubDataset[] {
  const settings = JSON.parse(readFileSync(path.join(LOGHUB_DIR, 'drain_benchmark_settings.json'), 'utf8')) as Record<
    string,
    MinerSettings | string
  >;
  const published = publishedAccuracy();
  const out: LoghubDataset[] = [];
  for (const [name, s] of Object.entries(settings)) {
    if (typeof s !== 'object') continue;
    const dir = path.join(LOGHUB_DIR, name);
    // latin1 like logparser's `open(..., encoding="ISO-8859-1")`.
    const lines = splitLines(readFileSync(path.join(dir, `${name}_2k.log`), 'latin1'));
    const csv = parseCsv(readFileSync(path.join(dir, `${name}_2k.log_structured.csv`), 'latin1'));
    const header = csv[0] ?? [];
    const col = header.indexOf('EventId');
    if (col < 0) throw new Error(`${name}: structured csv has no EventId column`);
    const truth = csv.slice(1).map((r) => r[col] ?? '');
    const pub = published.get(name);
    if (pub === undefined) throw new Error(`${name}: no published Drain accuracy`);
    out.push({ name, settings: s, lines, truth, published: pub });
  }
  return out;
}
