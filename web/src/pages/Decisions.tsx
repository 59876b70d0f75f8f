import { useState } from 'react';
import type { Decision } from '../api.js';
import { ErrorNote } from '../components.js';
import { DecisionTable } from '../decision-table.js';
import { useAction, useResource } from '../hooks.js';

export function DecisionsPage({ role }: { role: string }) {
  const [q, setQ] = useState('');
  const [all, setAll] = useState(false);
  const list = useResource<Decision[]>(
    `/api/v1/decisions?active=${all ? 'false' : 'true'}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
  );
  const { msg, err, act } = useAction(list.reload);
  const canWrite = role === 'operator' || role === 'admin';
  const undo = (d: Decision) =>
    act(
      `Undid ${d.action} on ${d.value}; it is removed from the firewall on the next pass.`,
      `/api/v1/decisions/${d.id}/undo`,
    );
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
      <DecisionTable
        decisions={list.data ?? []}
        columns={['action', 'target', 'status', 'why', 'created', 'expires', 'undo']}
        linkIncident
        onUndo={canWrite ? undo : undefined}
        emptyText={list.data ? 'No decisions.' : undefined}
      />
    </>
  );
}
