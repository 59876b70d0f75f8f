import { readFileSync } from 'node:fs';
import type { MinerSettings } from './miner.js';

/**
 * Read a settings file with the keys of one entry of Loghub's drain_benchmark_settings.json
 * (`log_format`, `regex`, `st`, `depth`; also `maxChild`). With `dataset`, the file may be the
 * whole benchmark settings map and the named entry is used. Errors name the file and key.
 */
export function readMinerSettings(file: string, dataset?: string): MinerSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read settings as JSON: ${(e as Error).message}`);
  }
  if (dataset !== undefined) {
    const all: Record<string, unknown> = isObject(raw) ? raw : {};
    const entry = all[dataset];
    if (!isObject(entry)) {
      const known = Object.keys(all).filter((k) => isObject(all[k]));
      throw new Error(`${file}: no settings entry "${dataset}" (entries: ${known.join(', ') || 'none'})`);
    }
    raw = entry;
  }
  return validateMinerSettings(raw, file);
}

export function validateMinerSettings(raw: unknown, where: string): MinerSettings {
  if (!isObject(raw)) throw new Error(`${where}: settings must be a JSON object with log_format, regex, st, depth`);
  const known = ['log_format', 'regex', 'st', 'depth', 'maxChild'];
  if (!known.some((k) => k in raw)) {
    const entries = Object.keys(raw).filter((k) => isObject(raw[k]));
    if (entries.length > 0) {
      throw new Error(
        `${where}: this looks like a whole settings map (entries: ${entries.slice(0, 5).join(', ')}...); pass --dataset NAME or a single entry`,
      );
    }
  }
  const out: { -readonly [K in keyof MinerSettings]: MinerSettings[K] } = {};
  const lf = raw.log_format;
  if (lf !== undefined && lf !== null) {
    if (typeof lf !== 'string') throw new Error(`${where}: log_format must be a string like "<Date> <Time> <Content>"`);
    out.log_format = lf;
  }
  const rx = raw.regex;
  if (rx !== undefined && rx !== null) {
    if (!Array.isArray(rx) || rx.some((r) => typeof r !== 'string')) {
      throw new Error(`${where}: regex must be a list of regular expressions (strings)`);
    }
    out.regex = rx as string[];
  }
  for (const key of ['st', 'depth', 'maxChild'] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: ${key} must be a number`);
    out[key] = v;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
