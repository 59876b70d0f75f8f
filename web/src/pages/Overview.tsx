import { useMemo } from 'react';
import { type AuditRecord, ago, type Incident, type SeriesPoint, type Status, time } from '../api.js';
import { Badge, Chart, ErrorNote, Stat } from '../components.js';
import { useResource } from '../hooks.js';

function describe(e: { type: string; record: AuditRecord }): string {
  const d = (e.record.data ?? {}) as Record<string, unknown>;
  const entity = d.entity as { type?: string; value?: string } | undefined;
  if (e.type === 'detection') return `${String(d.scenario ?? e.record.subject)} — ${entity?.value ?? ''}`;
  if (e.type === 'decision')
    return `${e.record.action.replace('decision.', '')}: ${String(d.action ?? '')} ${String(d.value ?? '')}`;
  if (e.type === 'incident')
    return `${e.record.action.replace('incident.', 'incident ')} ${entity?.value ?? e.record.subject}`;
  return `${e.record.action} ${e.record.subject}`;
}

export function OverviewPage({ feed }: { feed: { type: string; record: AuditRecord }[] }) {
  const status = useResource<Status>('/api/v1/status');
  const series = useResource<SeriesPoint[]>('/api/v1/stats/series');
  const incidents = useResource<Incident[]>('/api/v1/incidents?status=open,contained&limit=8');
  const s = status.data;
  const points = series.data ?? [];
  const times = useMemo(() => points.map((p) => p.t), [points]);
  const rate = useMemo(
    () => [{ label: 'events/s', values: points.map((p) => p.eventsPerS), color: '#3b82f6' }],
    [points],
  );
  const found = useMemo(
    () => [
      { label: 'detections', values: points.map((p) => p.detections), color: '#ef4444' },
      { label: 'decisions', values: points.map((p) => p.decisions), color: '#f59e0b' },
    ],
    [points],
  );
  const breaker = s?.enforcer?.breaker;
  return (
    <>
      <h1>
        Overview{' '}
        {s && (
          <small className="muted">
            — {s.host}, {s.mode} mode
          </small>
        )}
      </h1>
      <ErrorNote error={status.error} />
      <section className="stats" aria-label="Summary">
        <Stat
          label="Events read"
          value={s?.counters.events ?? '…'}
          hint={`${s?.counters.lines ?? 0} lines, ${s?.counters.unparsed ?? 0} unparsed`}
        />
        <Stat label="Open incidents" value={s?.openIncidents ?? '…'} tone={s && s.openIncidents > 0 ? 'warn' : 'ok'} />
        <Stat label="Active decisions" value={s?.activeDecisions ?? '…'} />
        <Stat
          label="Approvals waiting"
          value={s?.pendingApprovals ?? '…'}
          tone={s && s.pendingApprovals > 0 ? 'warn' : 'ok'}
        />
        <Stat
          label="Breaker"
          value={breaker?.state ?? 'n/a'}
          tone={breaker?.state === 'open' ? 'bad' : 'ok'}
          {...(breaker?.reason ? { hint: breaker.reason } : {})}
        />
        <Stat
          label="Drift repaired"
          value={s?.enforcer?.drift.total ?? 'n/a'}
          hint={s?.enforcer ? `last pass ${s.enforcer.drift.lastPass}` : 'no enforcer'}
        />
        <Stat label="Pipeline lag" value={s?.lagSeconds == null ? '—' : `${Math.round(s.lagSeconds)} s`} />
      </section>
      <section className="grid2">
        <Chart title="Events per second" times={times} series={rate} />
        <Chart title="Detections and decisions" times={times} series={found} />
      </section>
      <section className="grid2">
        <div className="card">
          <h2>Open incidents</h2>
          {incidents.data?.length ? (
            <ul className="list">
              {incidents.data.map((i) => (
                <li key={i.id}>
                  <a href={`#/incident/${encodeURIComponent(i.id)}`}>
                    <Badge value={i.severity} /> {i.entity.value} — {i.scenarios.join(', ')}
                  </a>{' '}
                  <span className="muted">{ago(i.lastSeen)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">None open.</p>
          )}
        </div>
        <div className="card">
          <h2>Live</h2>
          <ul className="list feed" aria-live="polite" aria-label="Live events">
            {feed.length === 0 && <li className="muted">Waiting for events…</li>}
            {feed.slice(0, 12).map((e) => (
              <li key={e.record.seq}>
                <Badge value={e.type} /> {describe(e)} <span className="muted">{time(e.record.at).slice(11)}</span>
              </li>
            ))}
          </ul>
        </div>
      </section>
      <section className="grid2">
        <div className="card">
          <h2>Sources</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Lines read</th>
                <th scope="col">Dropped</th>
                <th scope="col">Errors</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(s?.sources ?? {}).map(([id, st]) => (
                <tr key={id}>
                  <td className="mono">{id}</td>
                  <td>{st.linesRead ?? 0}</td>
                  <td>{st.linesTooLong ?? 0}</td>
                  <td>{st.errors ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="card">
          <h2>Protected services</h2>
          {s?.healthChecks.length ? (
            <ul className="list">
              {s.healthChecks.map((h) => (
                <li key={h.name}>
                  <Badge value={h.ok === null ? 'unknown' : h.ok ? 'healthy' : 'down'} /> <strong>{h.name}</strong>{' '}
                  <span className="muted">{h.detail}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No health checks configured (policy.health_checks).</p>
          )}
          {s?.enforcer?.unhandledActions.length ? (
            <p className="muted">Actions without a responder: {s.enforcer.unhandledActions.join(', ')}</p>
          ) : null}
        </div>
      </section>
    </>
  );
}
