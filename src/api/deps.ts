import type { LeukoConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { ApiRepos, Store } from '../core/store.js';
import type { Allowlist } from '../policy/allowlist.js';
import type { AuditTail } from './audit-tail.js';
import type { CredentialsRepo } from './credentials.js';
import type { FeedbackHook } from './feedback.js';
import type { FleetView } from './fleet-view.js';
import type { HealthMonitor } from './health-monitor.js';
import type { ApiMetrics } from './metrics.js';
import type { FailureLimiter } from './rate-limit.js';
import type { RuntimeView } from './runtime-view.js';
import type { Series } from './series.js';

/** Everything the HTTP server reads and writes; built by the add-on, or by a test. */
export interface ApiDeps {
  readonly config: LeukoConfig;
  readonly store: Store;
  /** The API's tables and grouped reads in the store's database (SQLite or PostgreSQL). */
  readonly repos: ApiRepos;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hostName: string;
  readonly credentials: CredentialsRepo;
  readonly limiter: FailureLimiter;
  readonly allowlist: Allowlist;
  readonly runtime: RuntimeView;
  readonly tail: AuditTail;
  readonly metrics: ApiMetrics;
  readonly series: Series;
  readonly health: HealthMonitor;
  readonly feedbackHooks?: readonly FeedbackHook[];
  /** The fleet the hive sees (agents, their heartbeats); absent outside `leuko hive`. */
  readonly fleet?: FleetView;
  /** The daemon's store directory (healing files, quarantine); absent in some tests. */
  readonly storeDir?: string;
  /** Built dashboard (index.html and assets); absent: no dashboard is served. */
  readonly webDir?: string;
  /** Serve /metrics without a token (default true: Prometheus scrapes on loopback). */
  readonly publicMetrics?: boolean;
  log(level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}
