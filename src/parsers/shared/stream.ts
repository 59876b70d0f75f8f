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
  /**
   * `event` plus the syslog envelope fields, in that order (the same fields in the same order
   * as `event` followed by assignments, built in one step).
   */
  syslogEvent(
    line: string,
    time: number,
    host: string | undefined,
    program: string | undefined,
    pid: number | undefined,
    facility: number | undefined,
    severity: number | undefined,
  ): EcsEvent;
  done(ev: EcsEvent, time: number): ParsedLine;
}

/**
 * Events are built by a constructor rather than grown from a literal: V8 then reserves room
 * for all the fields inside the object (one allocation per line; a literal keeps only its
 * own 4 fields inline and reallocates a side array as fields are added). The prototype stays
 * `Object.prototype`, so an event is an ordinary plain object to every consumer. Field order
 * is the insertion order consumers see (JSON, golden files): keep it.
 */
interface EventConstructor {
  new (
    ts: string,
    line: string,
    dataset: string,
    host: string | undefined,
    logPath: string | undefined,
    program: string | undefined,
    pid: number | undefined,
    facility: number | undefined,
    severity: number | undefined,
  ): EcsEvent;
}

const BaseEvent = function (
  this: Record<string, unknown>,
  ts: string,
  line: string,
  dataset: string,
  host: string | undefined,
  logPath: string | undefined,
  program: string | undefined,
  pid: number | undefined,
  facility: number | undefined,
  severity: number | undefined,
) {
  this['@timestamp'] = ts;
  this.message = line;
  this['event.kind'] = 'event';
  this['event.dataset'] = dataset;
  if (host !== undefined) this['host.hostname'] = host;
  if (logPath !== undefined) this['log.file.path'] = logPath;
  if (program !== undefined) this['process.name'] = program;
  if (pid !== undefined) this['process.pid'] = pid;
  if (facility !== undefined) this['log.syslog.facility.code'] = facility;
  if (severity !== undefined) this['log.syslog.severity.code'] = severity;
} as unknown as EventConstructor;
BaseEvent.prototype = Object.prototype;

// V8 fixes the object size after a constructor's first few uses, from the fields those objects
// had by then: show it full-size events first, or the first short lines of a log (cron) would
// size every later event. The throwaway fields only exist on these warm-up objects.
for (let k = 0; k < 10; k++) {
  const warm: Record<string, unknown> = new BaseEvent('', '', '', '', '', '', 0, 0, 0);
  for (let j = 0; j < 16; j++) warm[`leuko.warmup.${j}`] = 0;
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
      return new BaseEvent(
        iso(time),
        line,
        dataset,
        host ?? hostName,
        logPath,
        undefined,
        undefined,
        undefined,
        undefined,
      );
    },
    syslogEvent(line, time, host, program, pid, facility, severity) {
      return new BaseEvent(iso(time), line, 'syslog', host ?? hostName, logPath, program, pid, facility, severity);
    },
    done(ev, time) {
      return { time, event: ev };
    },
  };
}

export const AUTHENTICATION: readonly string[] = Object.freeze(['authentication']);
export const WEB: readonly string[] = Object.freeze(['web']);
export const WEB_AUTH: readonly string[] = Object.freeze(['web', 'authentication']);
export const WEB_INTRUSION: readonly string[] = Object.freeze(['web', 'intrusion_detection']);
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
export const TYPE_ACCESS_DENIED: readonly string[] = Object.freeze(['access', 'denied']);
export const TYPE_CONNECTION: readonly string[] = Object.freeze(['connection']);
export const TYPE_ERROR: readonly string[] = Object.freeze(['error']);
