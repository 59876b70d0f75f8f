/**
 * A realistic, seeded service log (syslog lines from a web API, a job worker, cron, sshd and
 * systemd with their ordinary errors and warnings) with ONE injected novel behaviour after the
 * learning period, for scoring the novelty detector:
 *
 * - `new-template`: a service starts logging an error it never logged before;
 * - `rate-spike`: an ordinary template's rate jumps far above its learned band.
 *
 * Ground truth names the injected behaviour by a `signature` (words only its template has),
 * so a detection is a true positive when its template text carries the signature.
 */
import { createRng, type Rng } from './generate/rng.js';

export type InjectionKind = 'new-template' | 'rate-spike';

export interface ServiceScenario {
  readonly lines: string[];
  readonly kind: InjectionKind;
  /** Words that identify the injected template in a detection's text. */
  readonly signature: string;
  readonly injectedAt: number;
  readonly injectedLines: number;
}

export interface ScenarioOptions {
  readonly seed: string | number;
  readonly kind: InjectionKind;
  /** First millisecond (UTC). */
  readonly start?: number;
  readonly hours?: number;
  /** No injection before this many hours (the learning period must be over). */
  readonly injectAfterH?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function syslogTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

interface Template {
  /** Program name and pid. */
  readonly prog: string;
  /** Lines per minute at the daily mean. */
  readonly perMin: number;
  readonly make: (r: Rng) => string;
  /** Words unique to this template (for rate-spike truth). */
  readonly signature?: string;
}

const ROUTES = ['/api/v1/orders', '/api/v1/users', '/api/v1/cart', '/api/v1/products', '/api/v1/search', '/healthz'];
const QUEUES = ['emails', 'invoices', 'thumbnails', 'webhooks'];
const USERS = ['deploy', 'backup', 'alice', 'bob'];

const ORDINARY: readonly Template[] = [
  {
    prog: 'api[2211]',
    perMin: 30,
    make: (r) =>
      `request method=${r.weighted([
        ['GET', 8],
        ['POST', 2],
        ['PUT', 1],
      ])} path=${r.pick(ROUTES)}/${r.int(1, 99999)} status=${r.weighted([
        [200, 20],
        [201, 2],
        [304, 3],
        [404, 1],
      ])} duration_ms=${r.int(2, 900)} user=u${r.int(1, 5000)}`,
  },
  { prog: 'api[2211]', perMin: 1, make: (r) => `cache hit ratio ${(0.8 + r.next() * 0.19).toFixed(2)} over last 60s` },
  {
    prog: 'api[2211]',
    perMin: 0.6,
    signature: 'slow query on table',
    make: (r) => `WARN slow query on table ${r.pick(['orders', 'users', 'carts'])} took ${r.int(1000, 9000)} ms`,
  },
  {
    prog: 'api[2211]',
    perMin: 0.15,
    make: (r) => `ERROR upstream payments returned ${r.pick([502, 503, 504])} for order ${r.int(10000, 99999)}`,
  },
  {
    prog: 'worker[3120]',
    perMin: 6,
    make: (r) => `job ${r.int(1, 999999)} completed in ${(r.next() * 9).toFixed(1)}s queue=${r.pick(QUEUES)}`,
  },
  {
    prog: 'worker[3120]',
    perMin: 0.3,
    signature: 'after error: SMTP timeout',
    make: (r) => `job ${r.int(1, 999999)} retry ${r.int(1, 4)}/5 after error: SMTP timeout`,
  },
  {
    prog: 'sshd[811]',
    perMin: 0.2,
    make: (r) =>
      `Accepted publickey for ${r.pick(USERS)} from 10.0.0.${r.int(2, 40)} port ${r.int(30000, 65000)} ssh2: ED25519 SHA256:${r.hex(20)}`,
  },
  {
    prog: 'systemd[1]',
    perMin: 0.2,
    make: (r) => `Started Session ${r.int(1, 9999)} of user ${r.pick(USERS)}.`,
  },
  {
    prog: 'kernel',
    perMin: 0.08,
    make: (r) =>
      `[${r.int(1000, 999999)}.${r.int(100000, 999999)}] TCP: request_sock_TCP: Possible SYN flooding on port ${r.pick([80, 443])}. Sending cookies.`,
  },
];

/** Errors a service might start logging; one is injected per `new-template` scenario. */
const NOVEL: readonly { prog: string; signature: string; make: (r: Rng) => string }[] = [
  {
    prog: 'api[2211]',
    signature: 'cannot connect to redis',
    make: (r) => `ERROR cannot connect to redis at 10.0.0.9:6379: Connection refused (attempt ${r.int(1, 9)})`,
  },
  {
    prog: 'worker[3120]',
    signature: 'disk quota exceeded',
    make: (r) => `FATAL disk quota exceeded for volume /data/${r.int(1, 8)} while writing job ${r.int(1, 99999)}`,
  },
  {
    prog: 'api[2211]',
    signature: 'certificate has expired',
    make: (r) => `ERROR TLS handshake with upstream 10.0.1.${r.int(2, 200)} failed: certificate has expired`,
  },
  {
    prog: 'worker[3120]',
    signature: 'heap out of memory',
    make: (r) =>
      `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory in worker ${r.int(1, 16)}`,
  },
  {
    prog: 'api[2211]',
    signature: 'permission denied for table',
    make: (r) =>
      `ERROR database error: permission denied for table ${r.pick(['orders', 'users'])} (role app_rw, query ${r.hex(8)})`,
  },
];

/** Poisson arrivals per template over the period, with a mild daily swing; sorted by time. */
export function generateServiceScenario(opts: ScenarioOptions): ServiceScenario {
  const rng = createRng(`service:${opts.seed}:${opts.kind}`);
  const start = opts.start ?? Date.UTC(2026, 11, 6, 0, 0, 0);
  const hours = opts.hours ?? 8;
  const end = start + hours * 3_600_000;
  const events: { t: number; line: string }[] = [];
  const emit = (t: number, prog: string, msg: string) =>
    events.push({ t, line: `${syslogTime(t)} web1 ${prog}: ${msg}` });
  const swing = (t: number) => 1 + 0.3 * Math.sin(((t - start) / 86_400_000) * 2 * Math.PI);
  for (const tpl of ORDINARY) {
    const r = rng.fork(tpl.prog + tpl.perMin);
    for (let t = start + r.exp(60_000 / tpl.perMin); t < end; t += r.exp(60_000 / (tpl.perMin * swing(t)))) {
      emit(Math.floor(t), tpl.prog, tpl.make(r));
    }
  }
  // Cron: exactly every 15 minutes.
  for (let t = start + 60_000; t < end; t += 15 * 60_000)
    emit(t, 'CRON[4410]', '(root) CMD (/usr/local/bin/backup.sh --incremental)');

  const r = rng.fork('inject');
  const after = (opts.injectAfterH ?? 3) * 3_600_000;
  const injectedAt = start + after + Math.floor(r.next() * (end - start - after - 3_600_000));
  const lastingMs = (20 + r.int(0, 20)) * 60_000;
  let signature: string;
  let injectedLines = 0;
  if (opts.kind === 'new-template') {
    const novel = r.pick(NOVEL);
    signature = novel.signature;
    const perMin = 0.5 + r.next() * 3;
    for (let t = injectedAt; t < injectedAt + lastingMs && t < end; t += r.exp(60_000 / perMin)) {
      emit(Math.floor(t), novel.prog, novel.make(r));
      injectedLines++;
    }
  } else {
    const spiked = r.pick(ORDINARY.filter((o) => o.signature !== undefined));
    signature = spiked.signature as string;
    const perMin = spiked.perMin * (25 + r.int(0, 25));
    for (let t = injectedAt; t < injectedAt + lastingMs && t < end; t += r.exp(60_000 / perMin)) {
      emit(Math.floor(t), spiked.prog, spiked.make(r));
      injectedLines++;
    }
  }
  events.sort((a, b) => a.t - b.t);
  return { lines: events.map((e) => e.line), kind: opts.kind, signature, injectedAt, injectedLines };
}

/** A novelty detection as the replay reports it. */
export interface ScoredAlert {
  readonly scenario: string;
  readonly explanation: string;
}

/**
 * True positive: a detection of the right kind whose text names the injected template;
 * every other novelty or template-rate detection is a false positive.
 */
export function scoreScenario(
  s: ServiceScenario,
  alerts: readonly ScoredAlert[],
): { tp: number; fp: number; detected: boolean; falseAlerts: string[] } {
  const wanted = s.kind === 'new-template' ? 'leuko/novel-template' : 'leuko/template-rate';
  const mine = alerts.filter((a) => a.scenario === 'leuko/novel-template' || a.scenario === 'leuko/template-rate');
  const hit = (a: ScoredAlert) => a.scenario === wanted && a.explanation.includes(s.signature);
  const tp = mine.filter(hit).length;
  const falseAlerts = mine.filter((a) => !hit(a)).map((a) => `${a.scenario}: ${a.explanation}`);
  return { tp, fp: falseAlerts.length, detected: tp > 0, falseAlerts };
}
