import { LeukoError } from '../core/errors.js';
import {
  createFileSource,
  createJournaldSource,
  createStdinSource,
  createSyslogSource,
  journaldAvailable,
} from '../sources/index.js';
import type { DaemonSource } from './daemon.js';

/** A source as the daemon needs it, resolved from the config. */
export type SourceSpec =
  | {
      readonly type: 'file';
      readonly id: string;
      readonly path: string;
      readonly format: string;
      readonly startAt: 'end' | 'beginning';
      /** The config's path pattern that named this file, if any (see daemon/pattern-watch.ts). */
      readonly pattern?: string;
    }
  | { readonly type: 'stdin'; readonly id: string; readonly format: string }
  | {
      readonly type: 'syslog';
      readonly id: string;
      readonly format: string;
      readonly udp?: { readonly host: string; readonly port: number };
      readonly tcp?: { readonly host: string; readonly port: number };
    }
  | { readonly type: 'journald'; readonly id: string; readonly format: string; readonly units: readonly string[] };

/** Create the configured sources; a journald source on a host without journald is skipped with a warning. */
export async function buildSources(
  specs: readonly SourceSpec[],
  log: (level: 'warn', message: string) => void,
): Promise<DaemonSource[]> {
  const out: DaemonSource[] = [];
  for (const spec of specs) {
    switch (spec.type) {
      case 'file':
        out.push({
          source: createFileSource({ id: spec.id, path: spec.path, startAt: spec.startAt }),
          format: spec.format,
        });
        break;
      case 'stdin':
        out.push({ source: createStdinSource({ id: spec.id }), format: spec.format });
        break;
      case 'syslog':
        out.push({
          source: createSyslogSource({
            id: spec.id,
            ...(spec.udp ? { udp: { ...spec.udp } } : {}),
            ...(spec.tcp ? { tcp: { ...spec.tcp } } : {}),
          }),
          format: spec.format,
        });
        break;
      case 'journald':
        if (!(await journaldAvailable())) {
          log('warn', `${spec.id}: journalctl is not available on this host; source skipped`);
          break;
        }
        out.push({ source: createJournaldSource({ id: spec.id, units: [...spec.units] }), format: spec.format });
        break;
      default:
        throw new LeukoError('UNKNOWN_PLUGIN', `unknown source type ${(spec as { type: string }).type}`);
    }
  }
  return out;
}
