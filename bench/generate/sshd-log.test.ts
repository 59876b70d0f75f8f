import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroundTruth, generateBenchLogs, SSHD_FILE } from './index.js';

const LINES = 40_000;
const START = Date.UTC(2026, 1, 12);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The address that really connected, read the way a careful parser must: the end of a 7.x
 * `Invalid user X from IP` line, else the token before the last ` port N`, else `rhost=`.
 * User names come before the real address, so an address inside them is never the last one.
 */
function realSource(line: string): string | undefined {
  const end = /: Invalid user .* from (\S+)$/.exec(line);
  if (end) return end[1];
  let last: string | undefined;
  for (const m of line.matchAll(/(\S+) port \d+/g)) last = m[1];
  if (last !== undefined) return last;
  return /rhost=(\S+)/.exec(line)?.[1];
}

const FAILURE = /: (Failed (password|keyboard-interactive\/pam|none) for|Invalid user )/;

function timeOf(line: string): number {
  const m = /^(\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d) /.exec(line);
  if (!m) throw new Error(`no syslog time: ${line}`);
  return Date.UTC(2026, MONTHS.indexOf(m[1] as string), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** Most events of `times` (sorted) inside any window of `windowMs`. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('generateSshdLog', () => {
  let dir: string;
  let truth: GroundTruth;
  let lines: string[];
  const failures = new Map<string, number[]>();
  const sourceLines = new Map<string, number>();

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'leuko-bench-'));
    truth = generateBenchLogs({ outDir: dir, lines: LINES, seed: 'test', start: START, only: 'sshd' });
    lines = readFileSync(path.join(dir, SSHD_FILE), 'utf8').trimEnd().split('\n');
    for (const line of lines) {
      const src = realSource(line);
      if (src === undefined) continue;
      sourceLines.set(src, (sourceLines.get(src) ?? 0) + 1);
      if (FAILURE.test(line) && !/: Failed none/.test(line)) {
        const list = failures.get(src) ?? [];
        list.push(timeOf(line));
        failures.set(src, list);
      }
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes exactly the lines asked, in time order, with a syslog envelope', () => {
    expect(lines).toHaveLength(LINES);
    expect(truth.files.sshd?.lines).toBe(LINES);
    let prev = 0;
    for (const line of lines) {
      expect(line).toMatch(/^\w{3} [ \d]\d \d\d:\d\d:\d\d web-01 [\w-]+(\[\d+\])?: +\S/);
      const t = timeOf(line);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const again = mkdtempSync(path.join(tmpdir(), 'leuko-bench-'));
    const other = mkdtempSync(path.join(tmpdir(), 'leuko-bench-'));
    try {
      const hash = (d: string) =>
        createHash('sha256')
          .update(readFileSync(path.join(d, SSHD_FILE)))
          .digest('hex');
      const truth2 = generateBenchLogs({ outDir: again, lines: LINES, seed: 'test', start: START, only: 'sshd' });
      generateBenchLogs({ outDir: other, lines: LINES, seed: 'other', start: START, only: 'sshd' });
      expect(hash(again)).toBe(hash(dir));
      expect(truth2).toEqual(truth);
      expect(hash(other)).not.toBe(hash(dir));
    } finally {
      rmSync(again, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('has every attacker kind, and benign and attacking addresses disjoint', () => {
    const f = truth.files.sshd!;
    const kinds = new Set(f.attackers.map((a) => a.kind));
    expect([...kinds].sort()).toEqual(
      ['botnet', 'fast-bruteforce', 'injection', 'key-probe', 'slow-bruteforce', 'user-enumeration'].sort(),
    );
    const attackers = new Set(f.attackers.map((a) => a.ip));
    expect(attackers.size).toBe(f.attackers.length);
    for (const b of f.benign) expect(attackers.has(b)).toBe(false);
    for (const e of f.embedded) expect(f.benign).toContain(e);
  });

  it('gives each attacker the failures its record and its kind say', () => {
    for (const a of truth.files.sshd!.attackers) {
      const times = failures.get(a.ip) ?? [];
      const fails = times;
      expect(sourceLines.get(a.ip) ?? 0, a.ip).toBeGreaterThan(0);
      switch (a.kind) {
        case 'fast-bruteforce':
          // Every guess writes one `Failed ...` line; invalid users add one `Invalid user` per connection.
          expect(fails.length).toBeGreaterThanOrEqual(a.attempts);
          expect(a.attempts).toBeGreaterThanOrEqual(20);
          expect(maxInWindow(times, 5 * 60_000)).toBeGreaterThanOrEqual(10);
          break;
        case 'slow-bruteforce':
          expect(a.attempts).toBeGreaterThanOrEqual(12);
          expect(fails.length).toBeGreaterThanOrEqual(a.attempts);
          // Under fail2ban's default: never 5 guesses (connections) in 10 minutes.
          expect(maxInWindow(times, 10 * 60_000)).toBeLessThanOrEqual(2 * 4);
          expect(Date.parse(a.lastSeen) - Date.parse(a.firstSeen)).toBeGreaterThan(3600_000);
          break;
        case 'user-enumeration':
          expect(a.attempts).toBeGreaterThanOrEqual(12);
          expect(fails.length).toBeGreaterThanOrEqual(a.attempts);
          break;
        case 'key-probe':
          expect(a.attempts).toBeGreaterThanOrEqual(6);
          expect(sourceLines.get(a.ip)).toBeGreaterThanOrEqual(a.attempts);
          break;
        case 'botnet':
          expect(a.attempts).toBeGreaterThanOrEqual(1);
          expect(a.attempts).toBeLessThanOrEqual(3);
          expect(fails.length).toBeGreaterThanOrEqual(a.attempts);
          break;
        case 'injection':
          expect(a.attempts).toBeGreaterThanOrEqual(6);
          expect(fails.length).toBeGreaterThanOrEqual(a.attempts);
          break;
        default:
          throw new Error(`unexpected kind ${a.kind}`);
      }
    }
  });

  it('counts a Failed line per attempt of password guessers', () => {
    const failedLines = new Map<string, number>();
    for (const line of lines) {
      if (!/: Failed (password|keyboard-interactive\/pam) for /.test(line)) continue;
      const src = realSource(line) as string;
      failedLines.set(src, (failedLines.get(src) ?? 0) + 1);
    }
    for (const a of truth.files.sshd!.attackers) {
      if (
        a.kind === 'fast-bruteforce' ||
        a.kind === 'slow-bruteforce' ||
        a.kind === 'botnet' ||
        a.kind === 'injection'
      ) {
        expect(failedLines.get(a.ip), `${a.kind} ${a.ip}`).toBe(a.attempts);
      }
    }
  });

  it('keeps benign addresses benign: logged in, and at most a slip or two per half hour', () => {
    const f = truth.files.sshd!;
    const accepted = new Set<string>();
    const closers = new Set<string>();
    for (const line of lines) {
      if (line.includes(': Accepted ')) accepted.add(realSource(line) as string);
      if (/: (Connection closed by|Did not receive)/.test(line)) closers.add(realSource(line) as string);
    }
    const docs = (ip: string) => ip.startsWith('203.0.113.') || ip.startsWith('198.51.100.');
    for (const ip of f.benign) {
      if (docs(ip)) continue;
      // A benign address either logs in or is a monitor that only connects.
      expect(accepted.has(ip) || closers.has(ip), ip).toBe(true);
      const times = failures.get(ip) ?? [];
      expect(maxInWindow(times, 30 * 60_000), ip).toBeLessThanOrEqual(2);
    }
  });

  it('writes embedded benign addresses only inside attacker user names', () => {
    const f = truth.files.sshd!;
    const injectors = new Set(f.attackers.filter((a) => a.kind === 'injection').map((a) => a.ip));
    expect(f.embedded.length).toBeGreaterThan(0);
    for (const e of f.embedded) {
      const inside = lines.filter(
        (l) => l.includes(`user ${e}`) || l.includes(`from ${e}`) || l.includes(` ${e} port 22`),
      );
      const framing = inside.filter((l) => realSource(l) !== e);
      expect(framing.length, e).toBeGreaterThan(0);
      for (const l of framing) {
        const src = realSource(l);
        if (src !== undefined) expect(injectors.has(src), l).toBe(true);
      }
    }
  });
});
