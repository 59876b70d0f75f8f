import { useState } from 'react';
import { type Approval, time, until } from '../api.js';
import { Badge, ErrorNote } from '../components.js';
import { useAction, useResource } from '../hooks.js';

export function ApprovalsPage({ role }: { role: string }) {
  const [show, setShow] = useState('pending');
  const list = useResource<Approval[]>(`/api/v1/approvals?status=${show}`);
  const { msg, err, act } = useAction(list.reload);
  const canWrite = role === 'operator' || role === 'admin';
  const answer = (a: Approval, verb: 'approve' | 'reject') =>
    act(
      `${verb === 'approve' ? 'Approved' : 'Rejected'} ${a.decision.action} ${a.decision.value}; the daemon carries it out on its next pass.`,
      `/api/v1/approvals/${a.id}/${verb}`,
      verb === 'reject' ? {} : undefined,
    );
  return (
    <>
      <h1>Approvals</h1>
      <div className="toolbar">
        <label htmlFor="apr-status">Show</label>
        <select id="apr-status" value={show} onChange={(e) => setShow(e.target.value)}>
          <option value="pending">Waiting</option>
          <option value="approved,rejected,expired">Answered</option>
        </select>
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
            <th scope="col">Why it waits</th>
            <th scope="col">Asked</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Answer</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((a) => (
            <tr key={a.id}>
              <td>{a.decision.action}</td>
              <td className="mono">
                {a.decision.scope}:{a.decision.value}
              </td>
              <td>{a.reason}</td>
              <td>
                {time(a.createdAt)} <span className="muted">({until(a.expiresAt)})</span>
              </td>
              <td>
                <Badge value={a.status} /> {a.decidedBy && <span className="muted">by {a.decidedBy}</span>}
              </td>
              <td className="actions">
                {canWrite && a.status === 'pending' && (
                  <>
                    <button type="button" className="small" onClick={() => answer(a, 'approve')}>
                      Approve
                      <span className="sr-only">
                        {' '}
                        {a.decision.action} {a.decision.value}
                      </span>
                    </button>
                    <button type="button" className="small secondary" onClick={() => answer(a, 'reject')}>
                      Reject
                      <span className="sr-only">
                        {' '}
                        {a.decision.action} {a.decision.value}
                      </span>
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nothing waits for a person.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
