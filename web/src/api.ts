/** The dashboard's view of the Leuko API: a bearer token kept for this browser tab only. */

const TOKEN_KEY = 'leuko.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const p = json as { detail?: string; title?: string } | undefined;
    throw new ApiError(res.status, p?.detail ?? p?.title ?? `HTTP ${res.status}`);
  }
  return json as T;
}

export interface StreamEvent {
  readonly type: string;
  readonly record: AuditRecord;
}

/**
 * Server-sent events over fetch (EventSource cannot send an Authorization header, and a token
 * in the URL would end up in logs). Reconnects after a drop, resuming from the last id.
 */
export function openStream(onEvent: (e: StreamEvent) => void, onState: (live: boolean) => void): () => void {
  const ac = new AbortController();
  let lastId = '';
  const run = async () => {
    while (!ac.signal.aborted) {
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${getToken() ?? ''}` };
        if (lastId) headers['last-event-id'] = lastId;
        const res = await fetch('/api/v1/stream', { headers, signal: ac.signal });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        onState(true);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let cut = buf.indexOf('\n\n');
          while (cut >= 0) {
            const frame = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            let type = 'message';
            let data = '';
            for (const line of frame.split('\n')) {
              if (line.startsWith('event: ')) type = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
              else if (line.startsWith('id: ')) lastId = line.slice(4);
            }
            if (data) onEvent({ type, record: JSON.parse(data) as AuditRecord });
            cut = buf.indexOf('\n\n');
          }
        }
      } catch {
        if (ac.signal.aborted) return;
      }
      onState(false);
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => ac.abort();
}

// ---- shapes (see /openapi.json) ----

export interface Entity {
  type: string;
  value: string;
}
export interface Evidence {
  timestamp: string;
  message: string;
  sourceId: string;
}
export interface Detection {
  id: string;
  scenario: string;
  time: number;
  entity: Entity;
  techniques: string[];
  confidence: number;
  severity: string;
  count: number;
  explanation: string;
  evidence: Evidence[];
}
export interface Incident {
  id: string;
  entity: Entity;
  firstSeen: number;
  lastSeen: number;
  status: string;
  severity: string;
  scenarios: string[];
  techniques: string[];
  detectionIds: string[];
  explanation: string;
}
export interface Decision {
  id: string;
  scope: string;
  value: string;
  action: string;
  durationS: number;
  createdAt: number;
  expiresAt: number;
  origin: string;
  scenario?: string;
  incidentId?: string;
  reason: string;
  status: string;
  statusReason?: string;
}
export interface Approval {
  id: string;
  decisionId: string;
  decision: Decision;
  reason: string;
  createdAt: number;
  expiresAt: number;
  status: string;
  decidedBy?: string;
  note?: string;
}
export interface AuditRecord {
  seq: number;
  at: number;
  kind: string;
  action: string;
  subject: string;
  actor: string;
  data: unknown;
  hash: string;
}
export interface Feedback {
  id: string;
  verdict: string;
  actor: string;
  note: string | null;
  at: number;
}
export interface IncidentDetail {
  incident: Incident;
  detections: Detection[];
  decisions: Decision[];
  feedback: Feedback[];
  audit: AuditRecord[];
}
export interface Status {
  version: string;
  mode: string;
  host: string;
  startedAt: number;
  now: number;
  counters: Record<string, number>;
  sources: Record<string, Record<string, number>>;
  activeDecisions: number;
  openIncidents: number;
  pendingApprovals: number;
  lagSeconds: number | null;
  enforcer: {
    breaker: { state: string; reason?: string };
    drift: { lastPass: number; total: number; lastReconcileAt: number | null };
    enforced: number;
    applyFailures: number;
    unhandledActions: string[];
  } | null;
  healthChecks: { name: string; detail: string; ok: boolean | null; checkedAt: number | null }[];
}
export interface SeriesPoint {
  t: number;
  eventsPerS: number;
  linesPerS: number;
  detections: number;
  decisions: number;
}
/** One agent in the hive's fleet view (GET /api/v1/fleet/agents). */
export interface FleetAgent {
  agent: string;
  lastSeen: number;
  seenAgoS: number;
  version: string;
  lagMs: number | null;
  lines: number;
  decisions: number;
  enrolled: boolean;
  trustedScopes: string[];
}

export interface Whoami {
  name: string;
  role: string;
  actor: string;
}

export const time = (ms: number | undefined) =>
  ms
    ? new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '—';
export const ago = (ms: number, now = Date.now()) => {
  const s = Math.round((now - ms) / 1000);
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
};
export const until = (ms: number, now = Date.now()) => {
  const s = Math.round((ms - now) / 1000);
  if (s <= 0) return 'over';
  if (s < 3600) return `${Math.ceil(s / 60)}m left`;
  if (s < 86400) return `${Math.round(s / 3600)}h left`;
  return `${Math.round(s / 86400)}d left`;
};
