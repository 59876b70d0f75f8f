import type { FlatRecord } from './event-view.js';
import { HTTP_ACCESS_DATASETS } from '../../core/datasets.js';

/** A rule's `logsource` as written. */
export interface Logsource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

/**
 * How Leuko feeds one Sigma logsource: which events it sees and how Sigma's taxonomy field
 * names map to our ECS names. `fed: false` rules still load (and run in `leuko rules test`
 * against raw field names) but no Leuko source produces their events.
 */
export interface LogsourceRoute {
  readonly fed: boolean;
  /** Why the rule cannot be fed (set when `fed` is false). */
  readonly reason?: string;
  /** Does an event of ours belong to this logsource? */
  readonly accepts: (event: FlatRecord) => boolean;
  /** Sigma field name → ECS keys tried after the raw name (undefined: raw name only). */
  readonly mapField: (field: string) => readonly string[] | undefined;
  /** Short description for listings, e.g. `auditd EXECVE events`. */
  readonly feeds: string;
}

const PROCESS: Record<string, readonly string[]> = {
  Image: ['process.executable'],
  CommandLine: ['process.command_line'],
  CurrentDirectory: ['process.working_directory'],
  ParentImage: ['process.parent.executable'],
  ParentCommandLine: ['process.parent.command_line'],
  ProcessId: ['process.pid'],
  ParentProcessId: ['process.parent.pid'],
  User: ['user.name'],
  LogonId: ['user.audit.id'],
};

const FILE_EVENT: Record<string, readonly string[]> = {
  TargetFilename: ['file.path'],
  Image: ['process.executable'],
  User: ['user.name'],
};

/** W3C / IIS / proxy names used by SigmaHQ's webserver and proxy rules. */
const HTTP: Record<string, readonly string[]> = {
  // SigmaHQ's webserver rules match paths in cs-uri-query (`endswith: '/mgmt/tm/util/bash'`),
  // so it stands for the whole request target, as c-uri does for proxies.
  'cs-uri-query': ['url.original'],
  'cs-uri-stem': ['url.path'],
  'cs-uri': ['url.original'],
  'c-uri': ['url.original'],
  'c-uri-query': ['url.query'],
  'c-uri-stem': ['url.path'],
  'c-uri-extension': ['url.extension'],
  'cs-method': ['http.request.method'],
  'sc-status': ['http.response.status_code'],
  'cs-user-agent': ['user_agent.original'],
  'c-useragent': ['user_agent.original'],
  'cs-referer': ['http.request.referrer'],
  'cs-referrer': ['http.request.referrer'],
  'c-ip': ['source.ip'],
  src_ip: ['source.ip'],
  'cs-host': ['url.domain', 'host.name'],
  'cs-username': ['user.name'],
  'cs-bytes': ['http.request.bytes'],
  'sc-bytes': ['http.response.body.bytes'],
  'cs-version': ['http.version'],
  'cs-content-type': ['http.request.mime_type'],
  'cs-cookie': ['http.request.cookie'],
  dst_ip: ['destination.ip'],
  'r-dns': ['url.domain'],
};

const SYSLOG: Record<string, readonly string[]> = {
  USER: ['user.target.name', 'user.name'],
  user: ['user.name'],
  host: ['host.hostname'],
  pid: ['process.pid'],
  program: ['process.name'],
};

/** auditd rules use raw record field names; the auditd parser keeps them under `auditd.`. */
function auditdKeys(field: string): readonly string[] {
  return [`auditd.${field}`];
}

function datasetIn(set: ReadonlySet<string>): (e: FlatRecord) => boolean {
  return (e) => {
    const d = e['event.dataset'];
    return typeof d === 'string' && set.has(d);
  };
}

function hasValue(field: string, value: string): (e: FlatRecord) => boolean {
  return (e) => {
    const v = e[field];
    return Array.isArray(v) ? v.includes(value) : v === value;
  };
}

const AUTH = new Set(['sshd', 'sudo', 'su', 'pkexec', 'pam', 'dropbear', 'auditd']);
const LINUX = new Set([
  'sshd',
  'sudo',
  'su',
  'pkexec',
  'pam',
  'dropbear',
  'syslog',
  'postfix',
  'exim',
  'dovecot',
  'named',
  'auditd',
  'mysqld',
  'postgresql',
]);
const WEB: ReadonlySet<string> = new Set(HTTP_ACCESS_DATASETS);

const never = (): boolean => false;

function table(t: Readonly<Record<string, readonly string[]>>): (field: string) => readonly string[] | undefined {
  return (field) => (Object.hasOwn(t, field) ? t[field] : undefined);
}

const NETWORK: Record<string, readonly string[]> = {
  DestinationIp: ['destination.ip'],
  DestinationPort: ['destination.port'],
  DestinationHostname: ['destination.domain'],
  SourceIp: ['source.ip'],
  SourcePort: ['source.port'],
  Image: ['process.executable'],
  User: ['user.name'],
  src_ip: ['source.ip'],
  dst_ip: ['destination.ip'],
  src_port: ['source.port'],
  dst_port: ['destination.port'],
  action: ['event.action'],
  query: ['dns.question.name'],
  record_type: ['dns.question.type'],
  answer: ['dns.answers.data'],
};

/** Taxonomy names by category, also for logsources we cannot feed (they run in `rules test`). */
function categoryTable(category: string | undefined): Readonly<Record<string, readonly string[]>> {
  if (category === 'process_creation') return PROCESS;
  if (category === 'file_event' || category === 'file_change' || category === 'file_create') return FILE_EVENT;
  if (category === 'webserver' || category === 'proxy') return HTTP;
  if (category === 'network_connection' || category === 'firewall' || category === 'dns') return NETWORK;
  return {};
}

function unfed(what: string, detail = 'no Leuko source produces these events', category?: string): LogsourceRoute {
  return {
    fed: false,
    reason: `logsource ${what}: ${detail}`,
    accepts: never,
    mapField: table(categoryTable(category)),
    feeds: '-',
  };
}

function describe(ls: Logsource): string {
  return (['product', 'category', 'service'] as const)
    .filter((k) => ls[k] !== undefined)
    .map((k) => `${k}=${ls[k]}`)
    .join(' ');
}

/**
 * Route a rule's logsource to our events, or say precisely why we cannot feed it.
 * @example routeLogsource({ product: 'linux', category: 'process_creation' }).feeds // 'process start events (auditd EXECVE, sudo)'
 */
export function routeLogsource(ls: Logsource): LogsourceRoute {
  // Rules of one logsource share a route, so the engine tests `accepts` once per event.
  const key = `${ls.product ?? ''}\n${ls.category ?? ''}\n${ls.service ?? ''}`.toLowerCase();
  let route = ROUTES.get(key);
  if (!route) {
    route = buildRoute(ls);
    ROUTES.set(key, route);
  }
  return route;
}

const ROUTES = new Map<string, LogsourceRoute>();

function buildRoute(ls: Logsource): LogsourceRoute {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  const what = describe(ls) || '(empty)';
  const http = (): LogsourceRoute => ({
    fed: true,
    accepts: datasetIn(WEB),
    mapField: table(HTTP),
    feeds: `http access events (${HTTP_ACCESS_DATASETS.join(', ')})`,
  });

  if (category === 'webserver' || category === 'proxy') {
    if (product === undefined || product === 'linux' || product === 'apache' || product === 'nginx') return http();
  }
  if (product === undefined && (service === 'apache' || service === 'nginx') && category === undefined) return http();
  if (product === 'linux') {
    if (category === 'process_creation')
      return {
        fed: true,
        accepts: (e) => hasValue('event.category', 'process')(e) && hasValue('event.type', 'start')(e),
        mapField: table(PROCESS),
        feeds: 'process start events (auditd EXECVE, sudo commands)',
      };
    if (category === 'file_event' || category === 'file_change' || category === 'file_create')
      return {
        fed: true,
        accepts: (e) => e['event.dataset'] === 'auditd' && e['file.path'] !== undefined,
        mapField: table(FILE_EVENT),
        feeds: 'auditd events with a PATH record',
      };
    if (category !== undefined)
      return unfed(
        what,
        'no Leuko source produces these events (auditd SOCKADDR and other records are not decoded into them)',
      );
    if (service === undefined)
      return {
        fed: true,
        accepts: datasetIn(LINUX),
        mapField: table(SYSLOG),
        feeds: 'linux system logs (syslog and its programs, auditd)',
      };
    if (service === 'auditd')
      return {
        fed: true,
        accepts: datasetIn(new Set(['auditd'])),
        mapField: auditdKeys,
        feeds: 'auditd records (joined per event serial)',
      };
    if (service === 'auth')
      return {
        fed: true,
        accepts: datasetIn(AUTH),
        mapField: table(SYSLOG),
        feeds: 'authentication logs (sshd, sudo, su, pam, auditd)',
      };
    if (service === 'syslog')
      return { fed: true, accepts: datasetIn(LINUX), mapField: table(SYSLOG), feeds: 'syslog lines' };
    if (AUTH.has(service) || LINUX.has(service))
      return { fed: true, accepts: datasetIn(new Set([service])), mapField: table(SYSLOG), feeds: `${service} lines` };
    // Any other daemon (cron, vsftpd, clamav, guacamole, ...): its syslog lines by program name.
    return {
      fed: true,
      accepts: (e) => {
        const p = e['process.name'];
        return typeof p === 'string' && p.toLowerCase() === service;
      },
      mapField: table(SYSLOG),
      feeds: `syslog lines of program ${service}`,
    };
  }
  if (product === 'windows' || product === 'macos') return unfed(what, undefined, category);
  if (category === 'firewall' || category === 'dns' || category === 'network_connection')
    return unfed(what, 'no Leuko source produces these events (no firewall, DNS or flow logs are parsed)', category);
  return unfed(what, undefined, category);
}
