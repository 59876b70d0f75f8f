import { describe, expect, it } from 'vitest';
import { parseBenchArgs, parseCount } from './args.js';

describe('parseBenchArgs', () => {
  it('defaults to a million lines, both files, peers on', () => {
    expect(parseBenchArgs([])).toMatchObject({ lines: 1_000_000, skipPeers: false, seed: '1', regen: false });
  });

  it('replays 20k lines through CrowdSec unless told otherwise (0: not at all)', () => {
    expect(parseBenchArgs([]).crowdsecLines).toBe(20_000);
    expect(parseBenchArgs(['--crowdsec-lines', '5k']).crowdsecLines).toBe(5000);
    expect(parseBenchArgs(['--crowdsec-lines', '0']).crowdsecLines).toBe(0);
    expect(() => parseBenchArgs(['--crowdsec-lines', 'all'])).toThrow(/--crowdsec-lines/);
  });

  it('reads the options', () => {
    const a = parseBenchArgs([
      '--lines',
      '100k',
      '--only',
      'nginx',
      '--skip-peers',
      '--leuko',
      'node dist/cli/main.js',
    ]);
    expect(a).toMatchObject({ lines: 100_000, only: 'nginx', skipPeers: true, leuko: ['node', 'dist/cli/main.js'] });
  });

  it('rejects bad values', () => {
    expect(() => parseBenchArgs(['--only', 'apache'])).toThrow(/--only/);
    expect(() => parseBenchArgs(['--lines', 'many'])).toThrow(/--lines/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow();
  });

  it('parses counts', () => {
    expect(parseCount('1e6')).toBe(1_000_000);
    expect(parseCount('1_000')).toBe(1000);
    expect(parseCount('2m')).toBe(2_000_000);
    expect(parseCount('0')).toBeUndefined();
    expect(parseCount('1.5')).toBeUndefined();
  });
});
