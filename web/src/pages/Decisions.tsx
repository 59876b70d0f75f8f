import { useState } from 'react';
import { api, type Decision, time, until } from '../api.js';
import { Badge, ErrorNote } from '../components.js';
import { useResource } from '../hooks.js';

export function DecisionsPage({ role }: { role: string }) {
  const [q, setQ] = useState('');
  const [all, setAll] = useState(false);
  const list = useResource<Decision[]>(
    `/api/v1/decisions?active=${all ? 'false' : 'true'}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
  );
  const [err, setErr] = useState<string | undefined>();
  const [msg, setMsg] = useState<string | undefined>();
  const canWrite = role === 'operator' || role === 'admin';
  const undo = async (d: Decision) => {
    setErr(undefined);
    try {
      await api(`/api/v1/decisions/${d.id}/undo`, { method: 'POST' });
      setMsg(`Undid ${d.action} on ${d.value}; it is removed from the firewall on the next pass.`);
      list.reload();
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <h1>Decisions</h1>
      <div className="toolbar">
        <label htmlFor="dec-q">Search</label>
        <input
          id="dec-q"
          type="search"
          placeholder="address, scenario, reason"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Include ended
        </label>
      </div>
      {msg && (
        <p className="note" role="status">
          {msg}
        </p>
      )}
      <ErrorNote error={err ?? list.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
            <th scope="col">Why</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="sr-only">Undo</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((d) => (
            <tr key={d.id}>
              <td>{d.action}</td>
              <td className="mono">
                {d.incidentId ? <a href={`#/incident/${encodeURIComponent(d.incidentId)}`}>{d.value}</a> : d.value}
              </td>
              <td>
                <Badge value={d.status} />
              </td>
              <td>{d.scenario ?? d.reason}</td>
              <td>{time(d.createdAt)}</td>
              <td>{until(d.expiresAt)}</td>
              <td>
                {canWrite && ['proposed', 'approved', 'applied', 'verified'].includes(d.status) && (
                  <button type="button" className="small" onClick={() => undo(d)}>
                    Undo
                    <span className="sr-only">
                      {' '}
                      {d.action} {d.value}
                    </span>
                  </button>
                )}
              </td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No decisions.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
