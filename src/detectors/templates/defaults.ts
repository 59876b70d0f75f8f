import type { MinerSettings } from './miner.js';

/**
 * Settings for live sources nobody configured: the values that matter in arbitrary system logs
 * (times, addresses, ids, numbers) are masked so they never split a template, and Drain runs
 * with the settings most Loghub systems use (st 0.5, depth 4).
 */
export const PIPELINE_DEFAULTS: MinerSettings = {
  regex: [
    // Timestamps inside the message (the header's is removed before masking).
    '\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?',
    '\\b\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?\\b',
    // UUIDs, IPv4 (with port), IPv6, hex and plain numbers.
    '\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b',
    '\\b(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?\\b',
    '\\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\\b',
    '\\b0[xX][0-9a-fA-F]+\\b',
    '\\b[0-9a-fA-F]{16,}\\b',
    '(?<![\\w.])[-+]?\\d+(?:\\.\\d+)?(?![\\w.])',
  ],
  st: 0.5,
  depth: 4,
};

/**
 * A syslog header (`Dec  6 13:45:01 host prog[12]: ` or RFC 5424/3339 time) carries the time,
 * the host and the pid, none of which belong in a template; the program name does (it keeps
 * sshd's and cron's messages apart), so it stays as the first token.
 */
const SYSLOG_HEADER =
  /^(?:<\d{1,3}>\d?\s*)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) \S+ ([^\s[:]+)(?:\[\d+\])?: ?/;

export function stripSyslogHeader(line: string): string {
  const m = SYSLOG_HEADER.exec(line);
  return m ? `${m[1]}: ${line.slice(m[0].length)}` : line;
}
