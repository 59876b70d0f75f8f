import { useState } from 'react';
import { ago, type Incident } from '../api.js';
import { Badge, ErrorNote } from '../components.js';
import { useResource } from '../hooks.js';

export function IncidentsPage() {
  const [status, setStatus] = useState('open,contained');
  const list = useResource<Incident[]>(`/api/v1/incidents?limit=200${status ? `&status=${status}` : ''}`);
  return (
    <>
      <h1>Incidents</h1>
      <div className="toolbar">
        <label htmlFor="inc-status">Show</label>
        <select id="inc-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open,contained">Open and contained</option>
          <option value="dismissed">Dismissed (false positives)</option>
          <option value="">All</option>
        </select>
      </div>
      <ErrorNote error={list.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Entity</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Scenarios</th>
            <th scope="col">ATT&amp;CK</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((i) => (
            <tr key={i.id}>
              <td>
                <a href={`#/incident/${encodeURIComponent(i.id)}`} className="mono">
                  {i.entity.value}
                </a>
              </td>
              <td>
                <Badge value={i.severity} />
              </td>
              <td>
                <Badge value={i.status} />
              </td>
              <td>{i.scenarios.join(', ')}</td>
              <td className="mono">{i.techniques.join(' ')}</td>
              <td>{ago(i.lastSeen)}</td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No incidents.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
