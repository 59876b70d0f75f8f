import { describe, expect, it } from 'vitest';
import { actionClass, blastRadiusOf, maxRadius, rangeRadius } from './actions.js';
import { decision } from './fixtures.case.js';

describe('blast radius', () => {
  it('classes addresses and ranges by width', () => {
    expect(rangeRadius('203.0.113.9')).toBe('low');
    expect(rangeRadius('2001:db8::9')).toBe('low');
    expect(rangeRadius('203.0.113.0/24')).toBe('medium');
    expect(rangeRadius('203.0.113.128/25')).toBe('medium');
    expect(rangeRadius('203.0.112.0/23')).toBe('high');
    expect(rangeRadius('2001:db8::/64')).toBe('medium');
    expect(rangeRadius('2001:db8::/56')).toBe('high');
    expect(rangeRadius('::ffff:203.0.113.0/120')).toBe('medium');
    expect(rangeRadius('nope')).toBeUndefined();
  });

  it('classes actions', () => {
    expect(actionClass('ban').radius).toBe('low');
    expect(actionClass('kill').radius).toBe('medium');
    expect(actionClass('freeze').radius).toBe('medium');
    for (const a of ['lock-account', 'isolate-host', 'stop-service', 'something-new', 'constructor', '__proto__']) {
      expect(actionClass(a).radius).toBe('high');
    }
    expect(actionClass('notify').budgeted).toBe(false);
  });

  it('takes the widest of action, target and claim', () => {
    expect(blastRadiusOf(decision({ scope: 'range', value: '10.0.0.0/8' }))).toBe('high');
    expect(blastRadiusOf(decision({ scope: 'ip', value: '203.0.113.1', blastRadius: 'medium' }))).toBe('medium');
    expect(blastRadiusOf(decision({ scope: 'user', value: 'bob', action: 'lock-account' }))).toBe('high');
    expect(maxRadius('low', 'bogus' as 'low')).toBe('high');
  });
});
