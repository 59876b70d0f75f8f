import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import type { Detection } from '../../src/core/detection.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { builtinScenarioDir, createScenarioEngine, loadScenarios } from '../../src/detectors/scenarios/index.js';
import { createParser } from '../../src/parsers/index.js';

/**
 * Loghub's Linux sample (a Red Hat host of 2005, ../shared/corpora/loghub-2k/Linux): its sshd
 * brute forces are logged only as PAM records under the old `sshd(pam_unix)[PID]` tag. The
 * oracle is Loghub's own structured file: the rows of the `authentication failure; ... rhost=<*>`
 * templates, grouped by rhost. Every address with a burst well above ssh-bf's threshold (10
 * failures within a minute) must be alerted by leuko/ssh-bf through `auto`, and no address
 * without a single failure may be alerted by any ssh-* scenario.
 */
const DIR = path.resolve(import.meta.dirname, '../../../shared/corpora/loghub-2k/Linux');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Failure times (ms in an arbitrary year) per rhost, from the structured CSV. */
function failuresByHost(): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const rows = readFileSync(path.join(DIR, 'Linux_2k.log_structured.csv'), 'utf8').split('\n').slice(1);
  for (const row of rows) {
    const f = row.split(',');
    const [, month, day, time, , component] = f;
    const template = f.slice(-1)[0] ?? '';
    if (
      !component?.startsWith('sshd') ||
      !template.startsWith('authentication failure;') ||
      !template.includes('rhost=<*>')
    )
      continue;
    const host = /rhost=(\S+)/.exec(f.slice(7, -2).join(','))?.[1];
    if (host === undefined) continue;
    const [h, m, s] = (time ?? '').split(':').map(Number);
    const t = Date.UTC(2005, MONTHS.indexOf(month ?? ''), Number(day), h, m, s);
    out.set(host, [...(out.get(host) ?? []), t]);
  }
  return out;
}

function maxInWindow(times: readonly number[], windowMs: number): number {
  const ts = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < ts.length; i++) {
    while (ts[i]! - ts[j]! > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('Loghub Linux: ssh brute forces logged as legacy PAM records', () => {
  const parse = createParser('auto', { clock: createManualClock(Date.UTC(2005, 11, 31)) });
  const engine = createScenarioEngine(loadScenarios([builtinScenarioDir()]).scenarios, { ids: createSequentialIds() });
  const detections: Detection[] = [];
  for (const line of readFileSync(path.join(DIR, 'Linux_2k.log'), 'utf8').split('\n')) {
    const p = line === '' ? null : parse(line);
    if (p !== null) detections.push(...engine.process({ time: p.time, event: p.event, sourceId: 'linux' }));
  }
  const failures = failuresByHost();

  it('alerts ssh-bf on every address with a burst of 10 failures within a minute', () => {
    const bursts = [...failures].filter(([h, ts]) => isIP(h) !== 0 && maxInWindow(ts, 60_000) >= 10).map(([h]) => h);
    expect(bursts.length).toBeGreaterThan(3);
    const alerted = new Set(detections.filter((d) => d.scenario === 'leuko/ssh-bf').map((d) => d.entity.value));
    expect(bursts.filter((h) => !alerted.has(h))).toEqual([]);
  });

  it('alerts no address that failed no login', () => {
    const ssh = detections.filter((d) => d.scenario.startsWith('leuko/ssh-') && d.entity.type === 'ip');
    expect(ssh.length).toBeGreaterThan(0);
    expect(ssh.filter((d) => !failures.has(d.entity.value)).map((d) => d.entity.value)).toEqual([]);
  });
});
