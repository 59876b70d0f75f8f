import { useState } from 'react';
import type { Incident } from '../api.js';
import { ErrorNote } from '../components.js';
import { IncidentTable } from '../incident-table.js';
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
      <IncidentTable
        incidents={list.data}
        columns={['entity', 'severity', 'status', 'scenarios', 'techniques', 'lastSeen']}
        emptyText="No incidents."
      />
    </>
  );
}
