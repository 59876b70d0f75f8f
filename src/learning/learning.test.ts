import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Detection } from '../core/detection.js';
import { createSequentialIds } from '../core/ids.js';
import { openSqliteStore } from '../store/index.js';
import { createImmuneMemoryDetector } from './immune-memory.js';
import { openLearningRepo } from './learning-repo.js';
import { createSuppressionFilter } from './suppression-filter.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-learning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const det = (scenario: string, ip: string): Detection => ({
  id: 'd',
  scenario,
  time: 0,
  entity: { type: 'ip', value: ip },
  techniques: [],
  confidence: 1,
  severity: 'low',
  count: 1,
  explanation: '',
  evidence: [],
});

describe('learning tables and filters', () => {
  it('stores suppressions, memories and a bounded recent-events ring; the revision moves on changes', async () => {
    const store = openSqliteStore({ dir });
    await store.migrate();
    await store.close();
    const repo = openLearningRepo(dir);
    const r0 = repo.rev();
    repo.saveSuppression({
      id: 'sup_1',
      status: 'active',
      scenario: 'leuko/http-probing',
      entity: { type: 'ip', value: '198.51.100.7' },
      incidentId: 'inc_1',
      reason: 'fp',
      createdAt: 1,
    });
    expect(repo.rev()).toBeGreaterThan(r0);
    const filter = createSuppressionFilter();
    filter.load(repo.listSuppressions('active'));
    expect(filter.suppressedBy(det('leuko/http-probing', '198.51.100.7'))).toBe('sup_1');
    expect(filter.suppressedBy(det('leuko/http-probing', '198.51.100.8'))).toBeUndefined();
    expect(filter.suppressedBy(det('leuko/http-sqli', '198.51.100.7'))).toBeUndefined();

    for (let i = 0; i < 40; i++)
      repo.appendRecent([{ time: i, sourceId: 's', line: `line ${i}` }], { max: 10, minTime: 0 });
    expect(repo.recent({ limit: 100 }).length).toBeLessThanOrEqual(25);
    expect(repo.recent({ limit: 1 })[0]?.line).toBe('line 39');

    const m = repo.remember({
      id: 'mem_1',
      kind: 'ip',
      value: '203.0.113.5',
      incidentId: 'inc_2',
      scenarios: ['x'],
      createdAt: 0,
      expiresAt: 100,
    });
    expect(repo.listMemories(50)).toEqual([m]);
    expect(repo.listMemories(100)).toEqual([]);
    repo.close();
  });

  it('immune memory fires once per attacker and hold-off, and never past expiry', () => {
    const mem = createImmuneMemoryDetector({ ids: createSequentialIds(), banDurationS: 60 });
    mem.load([
      {
        id: 'mem_1',
        kind: 'user_agent',
        value: 'sqlmap/1.8',
        incidentId: 'inc',
        scenarios: ['s'],
        createdAt: 0,
        expiresAt: 10_000_000,
      },
    ]);
    const ev = (ip: string, t: number) => ({
      time: t,
      sourceId: 's',
      event: {
        '@timestamp': new Date(t).toISOString(),
        message: 'm',
        'event.kind': 'event' as const,
        'source.ip': ip,
        'user_agent.original': 'sqlmap/1.8',
      },
    });
    expect(mem.process(ev('192.0.2.1', 1000))).toHaveLength(1);
    expect(mem.process(ev('192.0.2.1', 2000))).toHaveLength(0);
    expect(mem.process(ev('192.0.2.2', 2000))[0]?.remediation?.action).toBe('ban');
    expect(mem.process(ev('192.0.2.3', 20_000_000))).toHaveLength(0);
  });
});
