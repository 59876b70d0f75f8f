import { describe, expect, it } from 'vitest';
import type { AuditInput } from '../core/audit.js';
import { createManualClock } from '../core/clock.js';
import type { Detection } from '../core/detection.js';
import { createSequentialIds } from '../core/ids.js';
import { openSqliteStore } from '../store/index.js';
import { createIncidentManager } from './incident-manager.js';

function det(id: string, value: string, time: number, scenario = 'leuko/ssh-bf'): Detection {
  return {
    id,
    scenario,
    time,
    entity: { type: 'ip', value },
    techniques: ['T1110.001'],
    confidence: 0.8,
    severity: scenario.includes('sqli') ? 'high' : 'medium',
    count: 6,
    explanation: `${scenario} fired`,
    evidence: [],
  };
}

describe('incident manager', () => {
  it('groups detections of one entity within the window and opens a new incident after it', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    const m = createIncidentManager({
      store,
      ids: createSequentialIds(),
      clock: createManualClock(),
      windowMs: 3600_000,
    });
    const audit: AuditInput[] = [];
    const a = await m.add(det('d1', '198.51.100.1', 0), audit);
    const b = await m.add(det('d2', '198.51.100.1', 600_000, 'leuko/http-sqli'), audit);
    const other = await m.add(det('d3', '198.51.100.2', 600_000), audit);
    const later = await m.add(det('d4', '198.51.100.1', 600_000 + 3600_001), audit);
    expect(b.id).toBe(a.id);
    expect(b.detectionIds).toEqual(['d1', 'd2']);
    expect(b.scenarios).toEqual(['leuko/ssh-bf', 'leuko/http-sqli']);
    expect(b.severity).toBe('high');
    expect(b.explanation).toContain('2 detections');
    expect(other.id).not.toBe(a.id);
    expect(later.id).not.toBe(a.id);
    expect(audit.map((r) => r.action)).toEqual([
      'incident.opened',
      'incident.updated',
      'incident.opened',
      'incident.opened',
    ]);
  });

  it('opens a new incident after a person dismissed the cached one, leaving the dismissal alone', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    const m = createIncidentManager({ store, ids: createSequentialIds(), clock: createManualClock() });
    const first = await m.add(det('d1', '198.51.100.1', 0), []);
    await store.commit({ detections: [det('d1', '198.51.100.1', 0)], incidents: [first] });
    // The verdict arrives through another path (API or `leuko feedback`), not this manager.
    await store.commit({ incidents: [{ ...first, status: 'dismissed' }] });
    const next = await m.add(det('d2', '198.51.100.1', 60_000), []);
    expect(next.id).not.toBe(first.id);
    expect(next.status).toBe('open');
    expect((await store.getIncident(first.id))?.status).toBe('dismissed');
  });

  it('continues an open incident from the store after a restart', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    const ids = createSequentialIds();
    const first = await createIncidentManager({ store, ids, clock: createManualClock() }).add(
      det('d1', '198.51.100.1', 0),
      [],
    );
    await store.commit({ incidents: [first] });
    const again = await createIncidentManager({ store, ids, clock: createManualClock() }).add(
      det('d2', '198.51.100.1', 1000),
      [],
    );
    expect(again.id).toBe(first.id);
    expect(again.detectionIds).toEqual(['d1', 'd2']);
  });
});
