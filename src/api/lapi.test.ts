import { describe, expect, it } from 'vitest';
import type { Decision } from '../core/decision.js';
import { goDuration, matchesFilter, numericId, toLapi } from './lapi.js';

const ban: Decision = {
  id: 'dec_1',
  scope: 'range',
  value: '198.51.100.0/24',
  action: 'ban',
  durationS: 3600,
  createdAt: 0,
  expiresAt: 14_352_000,
  origin: 'scenario',
  scenario: 'leuko/http-probing',
  reason: 'probing',
  blastRadius: 'medium',
  status: 'verified',
  offence: 1,
};

describe('CrowdSec LAPI shapes', () => {
  it('writes durations as Go parses them', () => {
    expect(goDuration(14_352_000)).toBe('3h59m12s');
    expect(goDuration(61_000)).toBe('1m1s');
    expect(goDuration(999)).toBe('0s');
    expect(goDuration(-5000)).toBe('-5s');
  });

  it('gives each decision a stable integer id below 2^53', () => {
    expect(numericId('dec_1')).toBe(numericId('dec_1'));
    expect(numericId('dec_1')).not.toBe(numericId('dec_2'));
    expect(Number.isSafeInteger(numericId('dec_1'))).toBe(true);
  });

  it('maps scope, origin and scenario; filters like CrowdSec (scopes default to ip)', () => {
    const l = toLapi(ban, 0);
    expect(l).toMatchObject({ scope: 'Range', type: 'ban', origin: 'leuko', duration: '3h59m12s', uuid: 'dec_1' });
    expect(matchesFilter(l, {})).toBe(false);
    expect(matchesFilter(l, { scopes: 'ip,range' })).toBe(true);
    expect(matchesFilter(l, { scopes: 'Range', origins: 'cscli' })).toBe(false);
    expect(matchesFilter(l, { scopes: 'range', scenarios_containing: 'http' })).toBe(true);
    expect(matchesFilter(l, { scopes: 'range', scenarios_not_containing: 'probing' })).toBe(false);
    expect(toLapi({ ...ban, origin: 'api', scope: 'ip', value: '192.0.2.1' }, 0)).toMatchObject({
      origin: 'leuko-api',
      scope: 'Ip',
    });
  });
});
