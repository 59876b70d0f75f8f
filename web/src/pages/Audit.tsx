import { useState } from 'react';
import { api, type AuditRecord, time } from '../api.js';
import { ErrorNote } from '../components.js';
import { useResource } from '../hooks.js';

type Verify =
  | { ok: true; records: number; head: string }
  | { ok: false; records: number; brokenAt: number; reason: string };

export function AuditPage() {
  const [kind, setKind] = useState('');
  const [subject, setSubject] = useState('');
  const params = new URLSearchParams({ limit: '300' });
  if (kind) params.set('kind', kind);
  if (subject) params.set('subject', subject);
  const list = useResource<AuditRecord[]>(`/api/v1/audit?${params}`);
  const [verify, setVerify] = useState<Verify | undefined>();
  const [err, setErr] = useState<string | undefined>();
  const check = async () => {
    setErr(undefined);
    try {
      setVerify(await api<Verify>('/api/v1/audit/verify'));
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <>
      <h1>Audit log</h1>
      <div className="toolbar">
        <label htmlFor="aud-kind">Kind</label>
        <select id="aud-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">All</option>
          {['detection', 'incident', 'decision', 'action', 'operator', 'daemon', 'config'].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor="aud-subject">Subject</label>
        <input
          id="aud-subject"
          type="search"
          placeholder="decision or incident id"
          value={subject}
          onChange={(e) => setSubject(e.target.value.trim())}
        />
        <button type="button" onClick={check}>
          Verify chain
        </button>
      </div>
      {verify && (
        <p className={verify.ok ? 'note' : 'error'} role="status">
          {verify.ok
            ? `Chain intact: ${verify.records} records, head ${verify.head.slice(0, 16)}…`
            : `Chain BROKEN at record ${verify.brokenAt}: ${verify.reason}`}
        </p>
      )}
      <ErrorNote error={err ?? list.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Subject</th>
            <th scope="col">Actor</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {[...(list.data ?? [])].reverse().map((r) => (
            <tr key={r.seq}>
              <td>{r.seq}</td>
              <td className="mono">{time(r.at)}</td>
              <td>{r.action}</td>
              <td className="mono">{r.subject}</td>
              <td>{r.actor}</td>
              <td className="mono muted">{r.hash.slice(0, 12)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
