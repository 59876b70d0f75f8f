import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileTruth } from '../generate/index.js';
import { parseReplayOutput } from './leuko.js';
import { canonicalIp, scoreBans } from './score.js';

const truth: FileTruth = {
  format: 'sshd',
  file: 'auth.log',
  lines: 12,
  bytes: 0,
  attackers: [
    { ip: '192.0.2.10', kind: 'fast-bruteforce', lines: 30, attempts: 10, firstSeen: '', lastSeen: '' },
    { ip: '192.0.2.11', kind: 'botnet', lines: 3, attempts: 1, firstSeen: '', lastSeen: '' },
    { ip: '2001:db8:1:2::7', kind: 'slow-bruteforce', lines: 40, attempts: 12, firstSeen: '', lastSeen: '' },
    { ip: '192.0.2.99', kind: 'botnet', lines: 3, attempts: 1, firstSeen: '', lastSeen: '' },
  ],
  benign: ['192.0.2.5', '198.51.100.23', '203.0.113.9'],
  embedded: ['198.51.100.23'],
};

describe('parseReplayOutput', () => {
  it('reads the hand-made sample and ignores fields it does not know', () => {
    const out = parseReplayOutput(readFileSync(path.join(import.meta.dirname, 'fixtures/replay-sample.json'), 'utf8'));
    expect(out.lines).toBe(12);
    expect(out.unparsed).toBe(2);
    expect(out.alerts).toHaveLength(2);
    expect(out.decisions).toHaveLength(7);
    expect(out.decisions[3]).toEqual({
      scope: 'range',
      value: '192.0.2.0/28',
      action: 'ban',
      duration_s: 86400,
      scenario: 'leuko/ssh-distributed',
    });
  });

  it('skips text printed before the JSON object', () => {
    const out = parseReplayOutput('warning: something\n{"lines":1,"events":1,"unparsed":0,"decisions":[]}\n');
    expect(out.decisions).toEqual([]);
    expect(out.alerts).toEqual([]);
  });

  it('says what is wrong with a malformed output', () => {
    expect(() => parseReplayOutput('no json here')).toThrow(/no JSON object/);
    expect(() => parseReplayOutput('{"lines": 1, "events": 1}')).toThrow(/unparsed|decisions/);
  });
});

describe('scoreBans', () => {
  it('scores the sample: ranges cover known addresses, benign and unknown bans are false positives', () => {
    const out = parseReplayOutput(readFileSync(path.join(import.meta.dirname, 'fixtures/replay-sample.json'), 'utf8'));
    const s = scoreBans(truth, out.decisions);
    // 192.0.2.0/28 covers 192.0.2.10, .11 (attackers) and .5 (benign); .99 stays out of it.
    expect(s.truePositives).toBe(3);
    expect(s.benignBanned).toEqual(['192.0.2.5', '198.51.100.23']);
    expect(s.unknownBanned).toEqual(['192.0.2.200']);
    // Two benign, one unknown, one range over nothing known.
    expect(s.falsePositives).toBe(4);
    expect(s.precision).toBeCloseTo(3 / 7);
    expect(s.recall).toBeCloseTo(3 / 4);
    expect(s.otherScopes).toBe(1);
    expect(s.decisions).toBe(7);
    expect(s.perKind).toEqual({
      'fast-bruteforce': { total: 1, caught: 1 },
      botnet: { total: 2, caught: 1 },
      'slow-bruteforce': { total: 1, caught: 1 },
    });
  });

  it('is perfect for exactly the attackers, and empty bans give recall 0', () => {
    const exact = scoreBans(
      truth,
      truth.attackers.map((a) => ({ scope: 'ip', value: a.ip })),
    );
    expect(exact.precision).toBe(1);
    expect(exact.recall).toBe(1);
    expect(exact.benignBanned).toEqual([]);
    const none = scoreBans(truth, []);
    expect(none.recall).toBe(0);
    expect(none.precision).toBe(1);
  });

  it('compares addresses in canonical form', () => {
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalIp('2001:0db8::0001')).toBe('2001:db8::1');
    expect(canonicalIp('not an address')).toBeUndefined();
  });
});
