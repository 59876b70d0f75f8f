import type { ReactNode } from 'react';
import { type Decision, time, until } from './api.js';
import { Badge } from './components.js';

/** The columns a page can show; each page picks what its context needs, in this order. */
export type DecisionColumn = 'action' | 'target' | 'status' | 'why' | 'created' | 'expires' | 'undo';

const HEADINGS: Record<Exclude<DecisionColumn, 'undo'>, string> = {
  action: 'Action',
  target: 'Target',
  status: 'Status',
  why: 'Why',
  created: 'Created',
  expires: 'Expires',
};

/** Statuses from which an operator may still undo a decision (the API refuses the rest). */
const UNDOABLE = new Set(['proposed', 'approved', 'applied', 'verified']);

export interface DecisionTableProps {
  readonly decisions: readonly Decision[];
  readonly columns: readonly DecisionColumn[];
  /** What the "Why" column says; pages differ (the scenario, or why a heal step ended as it did). */
  readonly why?: (d: Decision) => string;
  /** Link the target to its incident. */
  readonly linkIncident?: boolean;
  /** Shown with an Undo button per undoable decision when set (the caller checks the role). */
  readonly onUndo?: ((d: Decision) => void) | undefined;
  /** Heading of the "Created" column (the healing view calls it "When"). */
  readonly createdHeading?: string;
  /** Rows appended after the decisions (the healing view adds audit actions). */
  readonly extraRows?: ReactNode;
  /** Whether the extra rows count as content for the "No …" row. */
  readonly hasExtraRows?: boolean;
  /** The row shown when there is nothing to list; none while the list is still loading. */
  readonly emptyText?: string | undefined;
}

/**
 * One decision table for every page that lists decisions (decisions, an incident's decisions,
 * healing steps), so that status badges, undo and the empty row behave the same everywhere.
 */
export function DecisionTable(props: DecisionTableProps) {
  const { decisions, columns, onUndo } = props;
  const why = props.why ?? ((d: Decision) => d.scenario ?? d.reason);
  const cell = (d: Decision, c: DecisionColumn): ReactNode => {
    switch (c) {
      case 'action':
        return d.action;
      case 'target':
        return props.linkIncident && d.incidentId ? (
          <a href={`#/incident/${encodeURIComponent(d.incidentId)}`}>{d.value}</a>
        ) : (
          d.value
        );
      case 'status':
        return <Badge value={d.status} />;
      case 'why':
        return why(d);
      case 'created':
        return time(d.createdAt);
      case 'expires':
        return until(d.expiresAt);
      case 'undo':
        return (
          onUndo &&
          UNDOABLE.has(d.status) && (
            <button type="button" className="small" onClick={() => onUndo(d)}>
              Undo
              <span className="sr-only">
                {' '}
                {d.action} {d.value}
              </span>
            </button>
          )
        );
    }
  };
  return (
    <table>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c}>
              {c === 'undo' ? (
                <span className="sr-only">Undo</span>
              ) : c === 'created' && props.createdHeading ? (
                props.createdHeading
              ) : (
                HEADINGS[c]
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {decisions.map((d) => (
          <tr key={d.id}>
            {columns.map((c) => (
              <td key={c} className={c === 'target' ? 'mono' : undefined}>
                {cell(d, c)}
              </td>
            ))}
          </tr>
        ))}
        {props.extraRows}
        {decisions.length === 0 && !props.hasExtraRows && props.emptyText !== undefined && (
          <tr>
            <td colSpan={columns.length} className="muted">
              {props.emptyText}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
