/**
 * An observation normalized to Elastic Common Schema dotted names, so Sigma rules and SIEM
 * exports map without glue. Keys are flat dotted strings ("source.ip", not nested objects).
 *
 * Leuko-specific fields live under `leuko.` (for example `leuko.ssh.method`).
 *
 * @example
 * const e: EcsEvent = {
 *   '@timestamp': '2026-02-12T14:10:21.000Z',
 *   message: 'Feb 12 14:10:21 host sshd[12]: Failed password for root from 203.0.113.9 port 22 ssh2',
 *   'event.kind': 'event', 'event.category': ['authentication'], 'event.outcome': 'failure',
 *   'event.dataset': 'sshd', 'source.ip': '203.0.113.9', 'user.name': 'root',
 * };
 */
export type EventValue = string | number | boolean | readonly string[];

export interface EcsEvent {
  /** Event time from the line itself (ISO 8601, UTC), never ingestion time. */
  '@timestamp': string;
  /** The raw line, kept so every alert can show its evidence. */
  message: string;
  'event.kind': 'event' | 'alert' | 'state' | 'metric';
  'event.category'?: readonly string[];
  'event.type'?: readonly string[];
  'event.action'?: string;
  'event.outcome'?: 'success' | 'failure' | 'unknown';
  /** Which parser produced the event, e.g. `sshd`, `nginx.access`, `apache.error`, `sudo`. */
  'event.dataset'?: string;
  'event.reason'?: string;
  'source.ip'?: string;
  /** A source given as a host name rather than an address. */
  'source.address'?: string;
  'source.port'?: number;
  'destination.ip'?: string;
  'destination.port'?: number;
  'user.name'?: string;
  'user.target.name'?: string;
  'user.effective.name'?: string;
  'url.original'?: string;
  'url.path'?: string;
  'url.query'?: string;
  'http.request.method'?: string;
  'http.request.referrer'?: string;
  'http.response.status_code'?: number;
  'http.response.body.bytes'?: number;
  'http.version'?: string;
  'user_agent.original'?: string;
  'process.name'?: string;
  'process.pid'?: number;
  'process.command_line'?: string;
  'process.working_directory'?: string;
  'file.path'?: string;
  'host.name'?: string;
  'host.hostname'?: string;
  'log.file.path'?: string;
  'log.level'?: string;
  'log.syslog.facility.code'?: number;
  'log.syslog.severity.code'?: number;
  'log.syslog.appname'?: string;
  [field: string]: EventValue | undefined;
}

/** What a parser returns for a line it recognized: the event plus its time in epoch ms. */
export interface ParsedLine {
  /** Event time in milliseconds since the epoch (the same instant as `@timestamp`). */
  readonly time: number;
  readonly event: EcsEvent;
  /**
   * How many occurrences of the event the line stands for, when more than one (syslog's
   * `message repeated 5 times: [...]`): detection sees the event that many times.
   */
  readonly repeat?: number;
}

/**
 * An event travelling the pipeline together with where it came from, so that detections can
 * point at evidence and checkpoints can be committed after the work is durable.
 */
export interface Observation {
  readonly time: number;
  readonly event: EcsEvent;
  /** Id of the source that produced the line (config index and path, or `stdin`, `syslog:udp`). */
  readonly sourceId: string;
}

/** Read a field as a string when it is one (numbers are stringified); otherwise undefined. */
export function fieldString(event: EcsEvent, field: string): string | undefined {
  const v = event[field];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
