import type { EcsEvent, ParsedLine } from '../../core/event.js';
import type { ParseContext } from '../../core/parser.js';
import { createIsoFormatter, createLocalTime, createYearGuesser, type LocalTime, type YearGuesser } from './time.js';

/** Per-stream helpers every parser instance shares: clocks, caches, context fields. */
export interface Stream {
  readonly ctx: ParseContext;
  readonly local: LocalTime;
  readonly guessYear: YearGuesser;
  /** Start an event: the fields every event carries. `message` is the raw line, unchanged. */
  event(line: string, time: number, dataset: string, host?: string): EcsEvent;
  done(ev: EcsEvent, time: number): ParsedLine;
}

export function createStream(ctx: ParseContext): Stream {
  const local = createLocalTime();
  const iso = createIsoFormatter();
  const logPath = ctx.logPath;
  const hostName = ctx.hostName;
  return {
    ctx,
    local,
    guessYear: createYearGuesser(ctx.clock, local),
    event(line, time, dataset, host) {
      const ev: EcsEvent = {
        '@timestamp': iso(time),
        message: line,
        'event.kind': 'event',
        'event.dataset': dataset,
      };
      const h = host ?? hostName;
      if (h !== undefined) ev['host.hostname'] = h;
      if (logPath !== undefined) ev['log.file.path'] = logPath;
      return ev;
    },
    done(ev, time) {
      return { time, event: ev };
    },
  };
}

export const AUTHENTICATION: readonly string[] = Object.freeze(['authentication']);
export const WEB: readonly string[] = Object.freeze(['web']);
export const WEB_AUTH: readonly string[] = Object.freeze(['web', 'authentication']);
export const SESSION: readonly string[] = Object.freeze(['session']);
export const NETWORK: readonly string[] = Object.freeze(['network']);
export const EMAIL: readonly string[] = Object.freeze(['email']);
export const DATABASE_AUTH: readonly string[] = Object.freeze(['database', 'authentication']);
export const PROCESS: readonly string[] = Object.freeze(['process']);
export const TYPE_START: readonly string[] = Object.freeze(['start']);
export const TYPE_END: readonly string[] = Object.freeze(['end']);
export const TYPE_INFO: readonly string[] = Object.freeze(['info']);
export const TYPE_DENIED: readonly string[] = Object.freeze(['denied']);
export const TYPE_ACCESS: readonly string[] = Object.freeze(['access']);
export const TYPE_CONNECTION: readonly string[] = Object.freeze(['connection']);
export const TYPE_ERROR: readonly string[] = Object.freeze(['error']);
