import { type IncidentDetail, time } from '../api.js';
import { Badge, ErrorNote } from '../components.js';
import { DecisionTable } from '../decision-table.js';
import { useAction, useResource } from '../hooks.js';

const attackUrl = (t: string) => `https://attack.mitre.org/techniques/${t.replace('.', '/')}/`;

export function IncidentPage({ id, role }: { id: string; role: string }) {
  const r = useResource<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`);
  const { msg, err, act } = useAction(r.reload);
  const canWrite = role === 'operator' || role === 'admin';
  const d = r.data;
  if (!d) return <ErrorNote error={r.error} />;
  const { incident } = d;
  const lines = d.detections.flatMap((det) => det.evidence.map((e) => ({ ...e, scenario: det.scenario })));
  return (
    <>
      <p>
        <a href="#/incidents">← Incidents</a>
      </p>
      <h1>
        <span className="mono">{incident.entity.value}</span> <Badge value={incident.severity} />{' '}
        <Badge value={incident.status} />
      </h1>
      <p className="lead">{incident.explanation}</p>
      {msg && (
        <p className="note" role="status">
          {msg}
        </p>
      )}
      <ErrorNote error={err} />
      {canWrite && (
        <fieldset className="toolbar verdict">
          <legend className="sr-only">Verdict</legend>
          <button
            type="button"
            onClick={() =>
              act(
                'Marked as a false positive; its decisions were lifted.',
                `/api/v1/incidents/${incident.id}/feedback`,
                { verdict: 'false_positive' },
              )
            }
          >
            Mark false positive
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              act('Confirmed as a true positive.', `/api/v1/incidents/${incident.id}/feedback`, {
                verdict: 'true_positive',
              })
            }
          >
            Mark true positive
          </button>
        </fieldset>
      )}
      <section className="grid2">
        <div className="card">
          <h2>Summary</h2>
          <dl className="kv">
            <dt>Entity</dt>
            <dd className="mono">
              {incident.entity.type}:{incident.entity.value}
            </dd>
            <dt>First seen</dt>
            <dd>{time(incident.firstSeen)}</dd>
            <dt>Last seen</dt>
            <dd>{time(incident.lastSeen)}</dd>
            <dt>Scenarios</dt>
            <dd>{incident.scenarios.join(', ')}</dd>
            <dt>ATT&amp;CK</dt>
            <dd>
              {incident.techniques.map((t) => (
                <a key={t} className="mono tech" href={attackUrl(t)} target="_blank" rel="noreferrer">
                  {t}
                </a>
              ))}
            </dd>
            <dt>Feedback</dt>
            <dd>
              {d.feedback.length
                ? d.feedback.map((f) => `${f.verdict.replace('_', ' ')} by ${f.actor}`).join('; ')
                : '—'}
            </dd>
          </dl>
        </div>
        <div className="card">
          <h2>Decisions</h2>
          <DecisionTable
            decisions={d.decisions}
            columns={['action', 'target', 'status', 'expires', 'undo']}
            onUndo={
              canWrite ? (x) => act(`Undid ${x.action} on ${x.value}.`, `/api/v1/decisions/${x.id}/undo`) : undefined
            }
            emptyText="No decisions."
          />
        </div>
      </section>
      <section className="card">
        <h2>Detections</h2>
        {d.detections.map((det) => (
          <article key={det.id} className="detection">
            <h3>
              {det.scenario} <Badge value={det.severity} /> <span className="muted">{time(det.time)}</span>
            </h3>
            <p>{det.explanation}</p>
          </article>
        ))}
      </section>
      <section className="card" aria-labelledby="evidence-title">
        <h2 id="evidence-title">Evidence lines</h2>
        <pre className="evidence">{lines.map((l) => `${l.timestamp}  ${l.message}`).join('\n')}</pre>
      </section>
      <section className="card">
        <h2>Timeline</h2>
        <ol className="timeline">
          {d.audit.map((a) => (
            <li key={a.seq}>
              <span className="muted mono">{time(a.at)}</span> <strong>{a.action}</strong>{' '}
              <span className="muted">by {a.actor}</span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
