import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { measure } from './measure.js';
import type { BanRef } from './score.js';
import { ensureTool } from './system-tools.js';

const INSTALLED_CONFIG = '/etc/crowdsec/config.yaml';
const CAPI_CREDENTIALS = '/etc/crowdsec/online_api_credentials.yaml';

/**
 * Make sure CrowdSec's agent (`crowdsec`, `cscli`) is installed, from Debian's package. Its
 * postinst registers with the Central API (api.crowdsec.net) unless that credentials file
 * already has content (README.Debian: how an admin opts out); offline, the registration fails
 * and leaves the package half-configured, and every later apt-get run fails on it. So the
 * opt-out is written first: the bench never talks to the Central API anyway.
 */
export function ensureCrowdsec(log: (msg: string) => void): { crowdsec: string; cscli: string } | undefined {
  if (!existsSync(CAPI_CREDENTIALS) && process.getuid?.() === 0) {
    mkdirSync(path.dirname(CAPI_CREDENTIALS), { recursive: true });
    writeFileSync(CAPI_CREDENTIALS, '# No Central API registration (offline; written by the Leuko bench).\n');
  }
  const crowdsec = ensureTool('crowdsec', 'crowdsec', log);
  if (crowdsec === undefined) return undefined;
  // A package left half-configured by an earlier attempt (without the opt-out) is finished now.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'crowdsec'], { encoding: 'utf8' }).stdout ?? '';
  if (status !== '' && !status.includes('install ok installed')) {
    spawnSync('dpkg', ['--configure', 'crowdsec'], { stdio: 'ignore' });
  }
  const cscli = ensureTool('cscli', 'crowdsec', log);
  return cscli === undefined ? undefined : { crowdsec, cscli };
}

export interface CrowdsecRun {
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly peakRssMb: number;
  /** Distinct ban targets of the decisions its profiles made from the alerts. */
  readonly bans: readonly BanRef[];
}

/** A TCP port free on loopback right now, for the run's own local API. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The installed agent's config with everything it writes moved into `dir` (database, logs,
 * credentials), its local API on `port` and no Central API, metrics or acquisition of its
 * own: the run reads only the file given with -dsn and leaves the host's CrowdSec untouched.
 * The parsers, scenarios and data files are the installed ones (Debian enables the hub's
 * linux, sshd, nginx, apache2 and base-http collections).
 */
function isolatedConfig(dir: string, port: number): string {
  const installed = parseYaml(readFileSync(INSTALLED_CONFIG, 'utf8')) as {
    config_paths?: Record<string, string>;
    api?: { server?: { profiles_path?: string } };
  };
  const paths = { ...installed.config_paths };
  paths.data_dir = dataDir(dir, paths.data_dir ?? '/var/lib/crowdsec/data/', paths.config_dir ?? '/etc/crowdsec/');
  const config = {
    common: { daemonize: false, log_media: 'file', log_level: 'error', log_dir: `${dir}/`, working_dir: '.' },
    config_paths: paths,
    crowdsec_service: { acquisition_path: path.join(dir, 'acquis.yaml'), parser_routines: 1 },
    db_config: { log_level: 'error', type: 'sqlite', db_path: path.join(dir, 'crowdsec.db'), use_wal: true },
    api: {
      client: { insecure_skip_verify: false, credentials_path: path.join(dir, 'local_api_credentials.yaml') },
      server: {
        log_level: 'error',
        listen_uri: `127.0.0.1:${port}`,
        profiles_path: installed.api?.server?.profiles_path ?? '/etc/crowdsec/profiles.yaml',
        trusted_ips: ['127.0.0.1', '::1'],
      },
    },
    prometheus: { enabled: false },
  };
  const file = path.join(dir, 'config.yaml');
  writeFileSync(file, JSON.stringify(config, null, 2)); // JSON is YAML
  writeFileSync(path.join(dir, 'acquis.yaml'), '');
  return file;
}

/**
 * A data folder for the run: links to the installed data files (not its database), plus any
 * file a scenario names that the package lacks but ships under its source's own name. Debian's
 * 1.4.6 ships sec-lists' `path_traversal.txt` while its http-path-traversal-probing scenario
 * reads it as `http_path_traversal.txt`: without it that scenario fails on every HTTP event and
 * logs its whole data library each time (5 ms of CPU per line), which would time the error
 * path rather than CrowdSec.
 */
function dataDir(dir: string, installed: string, configDir: string): string {
  const data = path.join(dir, 'data');
  mkdirSync(data);
  for (const name of readdirSync(installed))
    if (!name.startsWith('crowdsec.db')) symlinkSync(path.join(installed, name), path.join(data, name));
  const scenarios = path.join(configDir, 'scenarios');
  for (const name of existsSync(scenarios) ? readdirSync(scenarios) : []) {
    let docs: unknown[];
    try {
      docs = parseAllDocuments(readFileSync(path.join(scenarios, name), 'utf8')).map((d) => d.toJS() as unknown);
    } catch {
      continue;
    }
    for (const doc of docs) {
      const entries = (doc as { data?: unknown } | null)?.data;
      for (const e of Array.isArray(entries) ? entries : []) {
        if (e === null || typeof e !== 'object') continue;
        const { source_url: url, dest_file: dest } = e as { source_url?: unknown; dest_file?: unknown };
        if (typeof url !== 'string' || typeof dest !== 'string' || dest.includes('/')) continue;
        const shipped = path.join(installed, path.posix.basename(url));
        if (!existsSync(path.join(data, dest)) && existsSync(shipped)) symlinkSync(shipped, path.join(data, dest));
      }
    }
  }
  return `${data}/`;
}

/**
 * Replay `file` through CrowdSec's forensic mode (`crowdsec -dsn file://FILE -type TYPE`), as a
 * user checks old logs with it, and time that process. It runs its own local API, which stores
 * the alerts and the decisions its profiles make; the decisions are read back from its database.
 */
export async function runCrowdsec(
  bins: { crowdsec: string; cscli: string },
  file: string,
  type: 'syslog' | 'nginx',
): Promise<CrowdsecRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-bench-crowdsec-'));
  try {
    const config = isolatedConfig(dir, await freePort());
    const add = spawnSync(
      bins.cscli,
      [
        '-c',
        config,
        'machines',
        'add',
        'leuko-bench',
        '--auto',
        '--force',
        '-f',
        path.join(dir, 'local_api_credentials.yaml'),
      ],
      { encoding: 'utf8' },
    );
    if (add.status !== 0) throw new Error(`cscli machines add failed: ${(add.stderr ?? '').slice(-1000)}`);
    const m = await measure(bins.crowdsec, ['-c', config, '-dsn', `file://${path.resolve(file)}`, '-type', type], {
      env: { ...process.env, TZ: 'UTC' },
      onLine: () => undefined,
    });
    if (m.exitCode !== 0) throw new Error(`crowdsec exited with ${m.exitCode}: ${m.stderrTail.slice(-2000)}`);
    const db = new Database(path.join(dir, 'crowdsec.db'), { readonly: true });
    try {
      const bans = db.prepare('SELECT DISTINCT lower(scope) AS scope, value FROM decisions').all() as {
        scope: string;
        value: string;
      }[];
      return {
        seconds: m.seconds,
        cpuSeconds: m.cpuSeconds,
        peakRssMb: m.peakRssMb,
        bans: bans.map((b) => ({ scope: b.scope, value: b.value })),
      };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
