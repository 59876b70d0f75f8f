import { ago, type FleetAgent, type Incident } from '../api.js';
import { Badge, ErrorNote } from '../components.js';
import { useResource } from '../hooks.js';
import { IncidentTable } from '../incident-table.js';

/** The hive's view of the fleet: agents by heartbeat, and incidents seen across hosts. */
export function FleetPage() {
  const agents = useResource<FleetAgent[]>('/api/v1/fleet/agents');
  const incidents = useResource<Incident[]>('/api/v1/incidents?limit=100&scenario=leuko/fleet-correlation');
  return (
    <>
      <h1>Fleet</h1>
      <ErrorNote error={agents.error} />
      <h2>Agents</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Last seen</th>
            <th scope="col">Version</th>
            <th scope="col">Lag</th>
            <th scope="col">Lines</th>
            <th scope="col">Decisions</th>
            <th scope="col">Enrolled</th>
          </tr>
        </thead>
        <tbody>
          {(agents.data ?? []).map((a) => (
            <tr key={a.agent}>
              <td className="mono">{a.agent}</td>
              <td>{ago(a.lastSeen)}</td>
              <td className="mono">{a.version}</td>
              <td>{a.lagMs === null ? '–' : `${a.lagMs} ms`}</td>
              <td>{a.lines}</td>
              <td>{a.decisions}</td>
              <td>
                <Badge value={a.enrolled ? `yes (${a.trustedScopes.join(',') || 'quorum'})` : 'no'} />
              </td>
            </tr>
          ))}
          {agents.data?.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No agent has reported yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <h2>Fleet incidents</h2>
      <ErrorNote error={incidents.error} />
      <IncidentTable
        incidents={incidents.data}
        columns={['entity', 'severity', 'explanation', 'lastSeen']}
        headings={{ explanation: 'Across hosts' }}
        emptyText="No fleet incidents."
      />
    </>
  );
}
