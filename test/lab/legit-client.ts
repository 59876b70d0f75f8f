import type { LabServices } from './services.js';
import { labNow, sleep } from './proc.js';
import type { Lab } from './topology.js';

export interface ClientEvent {
  readonly at: number;
  readonly kind: 'http' | 'ssh';
  readonly target: string;
  readonly ok: boolean;
  /** HTTP status, or ssh's exit code and last stderr line. */
  readonly detail: string;
  readonly ms: number;
}

export interface ClientSummary {
  readonly ok: number;
  readonly failed: number;
  readonly failures: readonly ClientEvent[];
}

export interface LegitClient {
  readonly events: readonly ClientEvent[];
  summary(since?: number, until?: number): ClientSummary;
  stop(): Promise<void>;
}

export interface LegitClientOptions {
  readonly httpEveryMs?: number;
  readonly sshEveryMs?: number;
  /** Hard bound: the loops end by themselves after this long even if nobody calls stop(). */
  readonly maxDurationMs?: number;
}

/**
 * The user who must never be locked out: from the client namespace, ordinary page views
 * (curl) and key-based ssh logins (BatchMode, so a prompt is a failure, not a hang) in two
 * loops throughout the run, each recorded with its time and outcome.
 */
export function startLegitClient(lab: Lab, services: LabServices, opts: LegitClientOptions = {}): LegitClient {
  const events: ClientEvent[] = [];
  const deadline = labNow() + (opts.maxDurationMs ?? 10 * 60_000);
  let stopping = false;
  const running = () => !stopping && labNow() < deadline;

  const httpLoop = async () => {
    for (let i = 0; running(); i++) {
      const page = services.nginx.pages[i % services.nginx.pages.length] ?? '/';
      const at = labNow();
      const r = await lab.exec(
        'client',
        ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '3', `http://${lab.victim}${page}`],
        { timeoutMs: 6000 },
      );
      events.push({
        at,
        kind: 'http',
        target: page,
        ok: r.stdout === '200',
        detail: r.stdout || `curl exit ${r.code}`,
        ms: r.durationMs,
      });
      await sleep(opts.httpEveryMs ?? 300);
    }
  };
  const sshLoop = async () => {
    while (running()) {
      const at = labNow();
      const r = await lab.exec(
        'client',
        [
          'ssh',
          '-i',
          services.user.clientKey,
          '-o',
          'BatchMode=yes',
          '-o',
          'IdentitiesOnly=yes',
          '-o',
          'StrictHostKeyChecking=no',
          '-o',
          'UserKnownHostsFile=/dev/null',
          '-o',
          'LogLevel=ERROR',
          '-o',
          'ConnectTimeout=4',
          `${services.user.name}@${lab.victim}`,
          'echo lab-ok',
        ],
        { timeoutMs: 10_000 },
      );
      const ok = r.code === 0 && r.stdout.trim() === 'lab-ok';
      const detail = ok ? 'ok' : `exit ${r.code}: ${r.stderr.trim().split('\n').pop() ?? ''}`;
      events.push({ at, kind: 'ssh', target: 'ssh', ok, detail, ms: r.durationMs });
      await sleep(opts.sshEveryMs ?? 1500);
    }
  };
  const loops = Promise.all([httpLoop(), sshLoop()]);
  return {
    events,
    summary(since = 0, until = Number.POSITIVE_INFINITY) {
      const inWindow = events.filter((e) => e.at >= since && e.at <= until);
      const failures = inWindow.filter((e) => !e.ok);
      return { ok: inWindow.length - failures.length, failed: failures.length, failures };
    },
    async stop() {
      stopping = true;
      await loops;
    },
  };
}
