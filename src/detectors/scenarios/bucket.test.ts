import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import { Bucket, evidenceOf, recordPour } from './bucket.js';
import { EventFields } from './event-fields.js';
import { rememberDistinct } from './kinds/handler.js';
import { createLeakyHandler } from './kinds/leaky.js';

const NAMES = ['user.name', 'source.ip'];

function pourAll(b: Bucket, fields: EventFields, slots: number[], users: string[], t0: number): void {
  users.forEach((u, i) => {
    const event: EcsEvent = { '@timestamp': `t${i}`, message: `line ${u}`, 'event.kind': 'event', 'user.name': u };
    fields.reset(event);
    recordPour(b, t0 + i, evidenceOf({ time: t0 + i, event, sourceId: 's' }), 'ip', fields, slots);
  });
}

describe('bucket reuse', () => {
  it('a reset bucket is indistinguishable from a new one (snapshot JSON, evidence, tracked values)', () => {
    const fields = new EventFields();
    const slots = NAMES.map((f) => fields.slot(f));
    const h = createLeakyHandler(5, 1000, true);
    const used = new Bucket(0, h.init(0), 'ip', NAMES);
    pourAll(used, fields, slots, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'a', 'h', 'i', 'j', 'k', 'l'], 0);
    h.pour(used.k, 5, 'a');
    used.reset(100, h.reset(used.k, 100), 'ip2');
    const fresh = new Bucket(100, h.init(100), 'ip2', NAMES);
    expect(JSON.stringify(used)).toBe(JSON.stringify(fresh));
    for (const b of [used, fresh]) pourAll(b, fields, slots, ['x', 'y', 'x'], 100);
    expect(JSON.stringify(used)).toBe(JSON.stringify(fresh));
    expect(used.tracked()).toEqual({ 'user.name': ['x', 'y'] });
    expect(used.evidence()).toEqual(fresh.evidence());
  });
  it('keeps at most the first hundred distinct values of a tracked field', () => {
    const fields = new EventFields();
    const slots = [fields.slot('user.name')];
    const b = new Bucket(0, {}, '', ['user.name']);
    pourAll(
      b,
      fields,
      slots,
      Array.from({ length: 150 }, (_, i) => `u${i % 120}`),
      0,
    );
    expect(b.tracked()['user.name']).toEqual(Array.from({ length: 100 }, (_, i) => `u${i}`));
  });
});

describe('rememberDistinct', () => {
  it('keeps the last `cap` values in order, like push + shift', () => {
    const recent: string[] = [];
    const ref: string[] = [];
    for (const v of ['a', 'b', 'a', 'c', 'd', 'b', 'e', 'f', 'a']) {
      const fresh = !ref.includes(v);
      if (fresh) {
        ref.push(v);
        if (ref.length > 3) ref.shift();
      }
      expect(rememberDistinct({}, recent, v, 3)).toBe(fresh);
      expect(recent).toEqual(ref);
    }
  });
  it('drops one value per new one from an over-long list (a snapshot of a larger capacity)', () => {
    const recent = ['a', 'b', 'c', 'd', 'e'];
    expect(rememberDistinct({}, recent, 'f', 3)).toBe(true);
    expect(recent).toEqual(['b', 'c', 'd', 'e', 'f']);
  });
  it('answers like a scan once the list is long enough for its index, repeats included', () => {
    // A list from a snapshot may repeat a value: the index counts, so dropping one copy keeps the other.
    const recent = ['x', 'y', 'x', ...Array.from({ length: 20 }, (_, i) => `s${i}`)];
    const ref = [...recent];
    const state = {};
    let seed = 7;
    for (let k = 0; k < 3000; k++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const v = `v${seed % 60}`;
      const fresh = !ref.includes(v);
      if (fresh) {
        ref.push(v);
        if (ref.length > 40) ref.shift();
      }
      expect(rememberDistinct(state, recent, v, 40)).toBe(fresh);
      expect(recent).toEqual(ref);
    }
    expect(JSON.stringify(state)).toBe('{}');
  });
});
