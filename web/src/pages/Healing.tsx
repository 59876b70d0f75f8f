import { type AuditRecord, type Decision, type Status, time } from '../api.js';
import { Badge, ErrorNote } from '../components.js';
import { DecisionTable } from '../decision-table.js';
import { useResource } from '../hooks.js';

const HEALING = /restore|restart|quarantine|kill|heal|freeze|lock/;

interface HealingView {
  configured: boolean;
  paths: { path: string; exclude: string[] }[];
  services: { name: string; probe: string; restart: string | null; config: string[] }[];
  quarantine: {
    id: string;
    path: string;
    at: number;
    reason: string;
    decisionId: string | null;
    restoredAt: number | null;
  }[];
}

/**
 * What the healing side did and watches: healing decisions (restores, restarts, quarantines),
 * healing audit records, the services whose health gates every action, and what `protect:`
 * declares (paths, services) with the quarantine.
 */
export function HealingPage() {
  const decisions = useResource<Decision[]>('/api/v1/decisions?active=false&limit=1000');
  const actions = useResource<AuditRecord[]>('/api/v1/audit?kind=action&limit=200');
  const status = useResource<Status>('/api/v1/status');
  const view = useResource<HealingView>('/api/v1/healing');
  const healing = (decisions.data ?? []).filter((d) => d.origin === 'healing' || HEALING.test(d.action));
  return (
    <>
      <h1>Healing</h1>
      <ErrorNote error={decisions.error} />
      <section className="grid2">
        <div className="card">
          <h2>Protected services</h2>
          {status.data?.healthChecks.length ? (
            <ul className="list">
              {status.data.healthChecks.map((h) => (
                <li key={h.name}>
                  <Badge value={h.ok === null ? 'unknown' : h.ok ? 'healthy' : 'down'} /> <strong>{h.name}</strong>{' '}
                  <span className="muted">{h.detail}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No health checks configured.</p>
          )}
        </div>
        <div className="card">
          <h2>Protected paths</h2>
          {view.data?.configured ? (
            <ul className="list">
              {view.data.paths.map((p) => (
                <li key={p.path} className="mono">
                  {p.path}
                  {p.exclude.length > 0 && <span className="muted"> (except {p.exclude.join(', ')})</span>}
                </li>
              ))}
              {view.data.services.map((s) => (
                <li key={`svc-${s.name}`}>
                  <strong>{s.name}</strong> <span className="muted">probe {s.probe}</span>
                  {s.config.length > 0 && <span className="muted"> · config {s.config.join(', ')}</span>}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No `protect:` section is configured.</p>
          )}
        </div>
      </section>
      <section className="card">
        <h2>Quarantine</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Why</th>
              <th scope="col">When</th>
              <th scope="col">Restored</th>
            </tr>
          </thead>
          <tbody>
            {(view.data?.quarantine ?? []).map((q) => (
              <tr key={q.id}>
                <td className="mono">{q.path}</td>
                <td>{q.reason}</td>
                <td>{time(q.at)}</td>
                <td>{q.restoredAt ? time(q.restoredAt) : '—'}</td>
              </tr>
            ))}
            {!view.data?.quarantine.length && (
              <tr>
                <td colSpan={4} className="muted">
                  Nothing in quarantine.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>Healing steps</h2>
        <DecisionTable
          decisions={healing}
          columns={['action', 'target', 'status', 'why', 'created', 'expires']}
          why={(d) => d.statusReason ?? d.reason}
          createdHeading="When"
          extraRows={(actions.data ?? []).map((a) => (
            <tr key={`a${a.seq}`}>
              <td>{a.action}</td>
              <td className="mono">{a.subject}</td>
              <td>—</td>
              <td>{a.actor}</td>
              <td>{time(a.at)}</td>
              <td>—</td>
            </tr>
          ))}
          hasExtraRows={Boolean(actions.data?.length)}
          emptyText="No healing step yet."
        />
      </section>
    </>
  );
}
