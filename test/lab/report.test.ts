import { describe, expect, it } from 'vitest';
import { ATTACK_ORDER, ATTACKS, summarizeOutput } from './attacks.js';
import { APT_PACKAGE, requireTools } from './preflight.js';
import { isCutOff } from './probe.js';
import { median } from './run-lab.js';

describe('lab helpers', () => {
  it('median', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('cut off means every probed port refused, dropped or unreachable', () => {
    expect(isCutOff([])).toBe(false);
    expect(
      isCutOff([
        { port: 22, outcome: 'timeout', ms: 2000 },
        { port: 80, outcome: 'refused', ms: 1 },
      ]),
    ).toBe(true);
    expect(
      isCutOff([
        { port: 22, outcome: 'timeout', ms: 2000 },
        { port: 80, outcome: 'connected', ms: 1 },
      ]),
    ).toBe(false);
    // A probe that could not run proves nothing.
    expect(isCutOff([{ port: 22, outcome: 'error', ms: 1 }])).toBe(false);
  });

  it('counts what a tool reported about the connection', () => {
    const out = summarizeOutput(
      {
        code: 255,
        signal: null,
        stdout: '[ERROR] could not connect to ssh://10.77.1.1:22 - Connection refused\n',
        stderr: '[07:45:39] [CRITICAL] connection timed out to the target URL\nTimeout on http://x/\n',
        durationMs: 1234,
        timedOut: false,
      },
      true,
    );
    expect(out).toMatchObject({ exitCode: 255, refused: 1, timeouts: 2, stoppedEarly: true, boundHit: false });
    expect(out.tail.split('\n')).toHaveLength(3);
  });

  it('names the apt package of a missing tool, and knows the package of every tool it runs', () => {
    expect(() => requireTools(['sh', 'no-such-tool-xyz'])).toThrow(
      /no-such-tool-xyz: apt-get install -y no-such-tool-xyz/,
    );
    expect(() => requireTools(['sh'])).not.toThrow();
    for (const name of ATTACK_ORDER) expect(APT_PACKAGE[ATTACKS[name]!.tool]).toBeDefined();
  });
});
