import { useEffect, useRef, useState } from 'react';
import { api, type AuditRecord, getToken, openStream, setToken, type Whoami } from './api.js';
import { LiveContext, useRoute } from './hooks.js';
import { ApprovalsPage } from './pages/Approvals.js';
import { AuditPage } from './pages/Audit.js';
import { DecisionsPage } from './pages/Decisions.js';
import { FleetPage } from './pages/Fleet.js';
import { HealingPage } from './pages/Healing.js';
import { IncidentPage } from './pages/Incident.js';
import { IncidentsPage } from './pages/Incidents.js';
import { OverviewPage } from './pages/Overview.js';
import { SignIn } from './pages/SignIn.js';

const NAV = [
  ['overview', 'Overview'],
  ['incidents', 'Incidents'],
  ['approvals', 'Approvals'],
  ['decisions', 'Decisions'],
  ['healing', 'Healing'],
  ['audit', 'Audit'],
  ['fleet', 'Fleet'],
] as const;

export function App() {
  const [me, setMe] = useState<Whoami | null | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState(false);
  const [feed, setFeed] = useState<{ type: string; record: AuditRecord }[]>([]);
  const route = useRoute();
  const pending = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!getToken()) {
      setMe(null);
      return;
    }
    api<Whoami>('/api/v1/whoami')
      .then(setMe)
      .catch(() => {
        setToken(null);
        setMe(null);
      });
  }, []);

  useEffect(() => {
    if (!me) return;
    return openStream((e) => {
      setFeed((f) => [e, ...f].slice(0, 50));
      // Coalesce bursts: one refetch per half second at most.
      if (pending.current === undefined)
        pending.current = window.setTimeout(() => {
          pending.current = undefined;
          setTick((t) => t + 1);
        }, 500);
    }, setLive);
  }, [me]);

  if (me === undefined) return <p className="loading">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={setMe} />;

  const page = route[0] ?? 'overview';
  const signOut = () => {
    setToken(null);
    setMe(null);
  };
  return (
    <LiveContext.Provider value={{ tick, live }}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href="#/overview" aria-label="Leuko overview">
          <span aria-hidden="true">◉</span> Leuko
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([id, label]) => (
              <li key={id}>
                <a
                  href={`#/${id}`}
                  aria-current={page === id || (id === 'incidents' && page === 'incident') ? 'page' : undefined}
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="me">
          <span
            className={`dot ${live ? 'ok' : 'off'}`}
            role="status"
            aria-label={live ? 'Live' : 'Reconnecting'}
            title={live ? 'Live' : 'Reconnecting'}
          />
          <span>
            {me.name} <small>({me.role})</small>
          </span>
          <button type="button" className="ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page === 'overview' && <OverviewPage feed={feed} />}
        {page === 'incidents' && <IncidentsPage />}
        {page === 'incident' && route[1] && <IncidentPage id={decodeURIComponent(route[1])} role={me.role} />}
        {page === 'approvals' && <ApprovalsPage role={me.role} />}
        {page === 'decisions' && <DecisionsPage role={me.role} />}
        {page === 'healing' && <HealingPage />}
        {page === 'audit' && <AuditPage />}
        {page === 'fleet' && <FleetPage />}
      </main>
    </LiveContext.Provider>
  );
}
