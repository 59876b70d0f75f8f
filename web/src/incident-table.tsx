import type { ReactNode } from 'react';
import { ago, type Incident } from './api.js';
import { Badge } from './components.js';

/** The columns a page can show; each page picks what its context needs, in this order. */
export type IncidentColumn = 'entity' | 'severity' | 'status' | 'scenarios' | 'techniques' | 'explanation' | 'lastSeen';

const HEADINGS: Record<IncidentColumn, ReactNode> = {
  entity: 'Entity',
  severity: 'Severity',
  status: 'Status',
  scenarios: 'Scenarios',
  techniques: 'ATT&CK',
  explanation: 'Why',
  lastSeen: 'Last seen',
};

/**
 * One incident table for the incidents list and the fleet view, so the entity link and the
 * badges behave the same everywhere (as DecisionTable does for decisions).
 */
export function IncidentTable(props: {
  readonly incidents: readonly Incident[] | undefined;
  readonly columns: readonly IncidentColumn[];
  /** Headings a page renames (the fleet calls the explanation "Across hosts"). */
  readonly headings?: Partial<Record<IncidentColumn, string>>;
  readonly emptyText: string;
}) {
  const cell = (i: Incident, c: IncidentColumn): ReactNode => {
    switch (c) {
      case 'entity':
        return (
          <a href={`#/incident/${encodeURIComponent(i.id)}`} className="mono">
            {i.entity.value}
          </a>
        );
      case 'severity':
        return <Badge value={i.severity} />;
      case 'status':
        return <Badge value={i.status} />;
      case 'scenarios':
        return i.scenarios.join(', ');
      case 'techniques':
        return i.techniques.join(' ');
      case 'explanation':
        return i.explanation;
      case 'lastSeen':
        return ago(i.lastSeen);
    }
  };
  return (
    <table>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" key={c}>
              {props.headings?.[c] ?? HEADINGS[c]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(props.incidents ?? []).map((i) => (
          <tr key={i.id}>
            {props.columns.map((c) => (
              <td key={c} className={c === 'techniques' ? 'mono' : undefined}>
                {cell(i, c)}
              </td>
            ))}
          </tr>
        ))}
        {props.incidents?.length === 0 && (
          <tr>
            <td colSpan={props.columns.length} className="muted">
              {props.emptyText}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
