import { describe, expect, it } from 'vitest';
import { intelSchema } from '../../config/intel.js';
import type { EcsEvent, Observation } from '../../core/event.js';
import { createSequentialIds } from '../../core/ids.js';
import { createIntelDetector } from './detector.js';
import { IntelHub } from './feeds.js';
import { loadPlain, loadStix } from './loaders.js';

const T0 = Date.UTC(2026, 11, 6, 10);
const obs = (t: number, fields: Record<string, unknown>): Observation => ({
  time: t,
  sourceId: 'test',
  event: { '@timestamp': new Date(t).toISOString(), message: 'line', 'event.kind': 'event', ...fields } as EcsEvent,
});

function setup(feedsYaml: unknown) {
  const feeds = intelSchema.parse(feedsYaml)!.feeds;
  const hub = new IntelHub();
  return { hub, det: createIntelDetector({ feeds, hub, ids: createSequentialIds() }) };
}

describe('intel detector', () => {
  it('asks to ban a listed source address with origin intel, once per decision period', () => {
    const { hub, det } = setup({ feeds: [{ name: 'abuse', path: 'x', duration: '2h' }] });
    hub.replace('abuse', loadPlain('203.0.113.0/24').indicators);
    const [d] = det.process(obs(T0, { 'source.ip': '203.0.113.9' }));
    expect(d?.origin).toBe('intel');
    expect(d?.scenario).toBe('intel/abuse');
    expect(d?.remediation).toEqual({ action: 'ban', durationS: 7200, scope: 'ip' });
    expect(d?.explanation).toContain('203.0.113.0/24');
    expect(det.process(obs(T0 + 60_000, { 'source.ip': '203.0.113.9' }))).toEqual([]);
    expect(det.process(obs(T0 + 7201_000, { 'source.ip': '203.0.113.9' }))).toHaveLength(1);
    expect(det.process(obs(T0, { 'source.ip': '198.51.100.1' }))).toEqual([]);
  });
  it('caps the duration by STIX valid_until and by twice the refresh of an HTTP feed', () => {
    const { hub, det } = setup({
      feeds: [{ name: 'stix', url: 'http://127.0.0.1/x', format: 'stix', refresh: '10m', duration: '24h' }],
    });
    const bundle = {
      objects: [
        {
          type: 'indicator',
          pattern: "[ipv4-addr:value = '198.51.100.5']",
          valid_until: new Date(T0 + 300_000).toISOString(),
        },
        { type: 'indicator', pattern: "[ipv4-addr:value = '198.51.100.6']" },
      ],
    };
    hub.replace('stix', loadStix(JSON.stringify(bundle), T0).indicators);
    expect(det.process(obs(T0, { 'source.ip': '198.51.100.5' }))[0]?.remediation?.durationS).toBe(300);
    expect(det.process(obs(T0, { 'source.ip': '198.51.100.6' }))[0]?.remediation?.durationS).toBe(1200);
    // Past valid_until the entry no longer matches.
    expect(det.process(obs(T0 + 400_000, { 'source.ip': '198.51.100.5' }))).toEqual([]);
  });
  it('stops matching an entry the feed drops', () => {
    const { hub, det } = setup({ feeds: [{ name: 'abuse', path: 'x' }] });
    hub.replace('abuse', loadPlain('198.51.100.8').indicators);
    hub.replace('abuse', loadPlain('198.51.100.9').indicators);
    expect(det.process(obs(T0, { 'source.ip': '198.51.100.8' }))).toEqual([]);
  });
  it('notifies (no ban) on domains, URLs and hashes, naming the client', () => {
    const { hub, det } = setup({ feeds: [{ name: 'c2', path: 'x' }] });
    hub.replace('c2', loadPlain(`c2.example\n${'e'.repeat(64)}`).indicators);
    const [d] = det.process(obs(T0, { 'source.ip': '10.0.0.5', 'dns.question.name': 'beacon.c2.example' }));
    expect(d?.entity).toEqual({ type: 'ip', value: '10.0.0.5' });
    expect(d?.remediation).toBeUndefined();
    expect(det.process(obs(T0, { 'file.hash.sha256': 'E'.repeat(64), 'file.path': '/tmp/x' }))[0]?.entity).toEqual({
      type: 'file',
      value: '/tmp/x',
    });
  });
});
