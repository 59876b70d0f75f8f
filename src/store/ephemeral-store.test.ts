import { describe, expect, it } from 'vitest';
import type { Decision } from '../core/decision.js';
import { createEphemeralStore } from './ephemeral-store.js';

function decision(id: string, value: string, createdAt: number, status: Decision['status'] = 'proposed'): Decision {
  return {
    id,
    scope: 'ip',
    value,
    action: 'ban',
    durationS: 60,
    createdAt,
    expiresAt: createdAt + 60_000,
    origin: 'scenario',
    reason: 'test',
    blastRadius: 'low',
    status,
    offence: 1,
  };
}

describe('ephemeral store', () => {
  it('answers the queries the pipeline reads back', async () => {
    const s = createEphemeralStore();
    await s.commit({
      decisions: [
        decision('d1', '192.0.2.1', 0),
        decision('d2', '192.0.2.1', 100_000),
        decision('d3', '192.0.2.2', 0, 'rejected'),
      ],
      checkpoints: [{ sourceId: 'a', state: '{"o":1}' }],
      detections: [],
      audit: [{ kind: 'daemon', action: 'x', subject: 's', actor: 'a', at: 0, data: null }],
    });
    expect(await s.countOffences('ip', '192.0.2.1')).toBe(2);
    expect((await s.listDecisions({ scope: 'ip', value: '192.0.2.1', activeAt: 120_000 })).map((d) => d.id)).toEqual([
      'd2',
    ]);
    expect((await s.listDecisions({ activeAt: 10 })).map((d) => d.id)).toEqual(['d2', 'd1']);
    await s.commit({ decisions: [{ ...decision('d1', '192.0.2.1', 0), status: 'expired' }] });
    expect((await s.getDecision('d1'))?.status).toBe('expired');
    expect(await s.countOffences('ip', '192.0.2.1')).toBe(2);
    expect(await s.loadCheckpoint('a')).toBe('{"o":1}');
    expect(s.dropped.audit).toBe(1);
  });

  it('groups incidents by entity value', async () => {
    const s = createEphemeralStore();
    const inc = {
      id: 'i1',
      entity: { type: 'ip' as const, value: '192.0.2.1' },
      firstSeen: 0,
      lastSeen: 5,
      status: 'open' as const,
      severity: 'low' as const,
      scenarios: ['x'],
      techniques: [],
      detectionIds: ['d'],
      explanation: 'e',
    };
    await s.commit({ incidents: [inc] });
    expect(await s.listIncidents({ entityValue: '192.0.2.1', status: ['open'] })).toEqual([inc]);
    expect(await s.listIncidents({ entityValue: '192.0.2.9' })).toEqual([]);
  });
});
