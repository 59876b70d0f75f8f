import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroundTruth, generateBenchLogs, NGINX_FILE } from './index.js';
import { SCANNER_UAS, SENSITIVE } from './nginx-payloads.js';

const LINES = 40_000;
const START = Date.UTC(2026, 1, 12);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const timeOf = (m: RegExpExecArray): number =>
  Date.UTC(Number(m[5]), MONTHS.indexOf(m[4] as string), Number(m[3]), Number(m[6]), Number(m[7]), Number(m[8]));

const COMBINED =
  /^(\S+) - (\S+) \[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\] "([^"]*)" (\d{3}) (\d+) "([^"]*)" "([^"]*)"$/;

interface Hit {
  ip: string;
  time: number;
  request: string;
  status: number;
  referrer: string;
  ua: string;
}

/** Undo percent-encoding (and double encoding) byte by byte, never throwing on bad input. */
function decode(text: string): string {
  let s = text.replace(/\+/g, ' ');
  for (let i = 0; i < 3; i++)
    s = s.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return s;
}

function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('generateNginxLog', () => {
  let dir: string;
  let truth: GroundTruth;
  let raw: string[];
  const byIp = new Map<string, Hit[]>();

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'leuko-bench-'));
    truth = generateBenchLogs({ outDir: dir, lines: LINES, seed: 'test', start: START, only: 'nginx' });
    raw = readFileSync(path.join(dir, NGINX_FILE), 'utf8').trimEnd().split('\n');
    for (const line of raw) {
      const m = COMBINED.exec(line);
      if (!m) continue;
      const time = timeOf(m);
      const hit: Hit = {
        ip: m[1] as string,
        time,
        request: m[9] as string,
        status: Number(m[10]),
        referrer: m[12] as string,
        ua: m[13] as string,
      };
      const list = byIp.get(hit.ip) ?? [];
      list.push(hit);
      byIp.set(hit.ip, list);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes exactly the lines asked, all in combined format, in time order', () => {
    expect(raw).toHaveLength(LINES);
    expect(truth.files.nginx?.lines).toBe(LINES);
    const bad = raw.filter((l) => !COMBINED.test(l));
    expect(bad).toEqual([]);
    let prev = 0;
    for (const line of raw) {
      const t = timeOf(COMBINED.exec(line) as RegExpExecArray);
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
  });

  it('is deterministic for a seed', () => {
    const again = mkdtempSync(path.join(tmpdir(), 'leuko-bench-'));
    try {
      const hash = (d: string) =>
        createHash('sha256')
          .update(readFileSync(path.join(d, NGINX_FILE)))
          .digest('hex');
      const truth2 = generateBenchLogs({ outDir: again, lines: LINES, seed: 'test', start: START, only: 'nginx' });
      expect(hash(again)).toBe(hash(dir));
      expect(truth2).toEqual(truth);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('has every attacker kind, each address on one side only', () => {
    const f = truth.files.nginx!;
    expect(new Set(f.attackers.map((a) => a.kind)).size).toBe(9);
    const attackers = new Set(f.attackers.map((a) => a.ip));
    expect(attackers.size).toBe(f.attackers.length);
    for (const b of f.benign) expect(attackers.has(b)).toBe(false);
    for (const e of f.embedded) expect(f.benign).toContain(e);
  });

  it('gives each attacker its lines and the requests its kind implies', () => {
    const scannerPrefixes = SCANNER_UAS.map(([ua]) => ua.split('{n}')[0] as string);
    for (const a of truth.files.nginx!.attackers) {
      const hits = byIp.get(a.ip) ?? [];
      expect(hits.length, a.ip).toBe(a.lines);
      expect(a.attempts).toBe(a.lines);
      const decoded = hits.map((h) => decode(`${h.request} ${h.referrer} ${h.ua}`));
      switch (a.kind) {
        case 'probe-404':
          expect(a.attempts).toBeGreaterThanOrEqual(25);
          expect(hits.filter((h) => h.status === 404).length).toBeGreaterThanOrEqual(a.attempts * 0.6);
          break;
        case 'sensitive-files':
          expect(a.attempts).toBeGreaterThanOrEqual(5);
          for (const h of hits) expect(SENSITIVE).toContain(h.request.split(' ')[1]);
          break;
        case 'sqli':
          for (const d of decoded) expect(d).toMatch(/\b(or|and|union|select|sleep|drop|waitfor|order|cast)\b|'/i);
          break;
        case 'xss':
          for (const d of decoded) expect(d).toMatch(/<|javascript:|alert|prompt|confirm/i);
          break;
        case 'traversal':
          for (const d of decoded) expect(d).toMatch(/\.\.[/\\]|\.\.\W|etc\/passwd|win\.ini/);
          break;
        case 'log4shell':
          for (const d of decoded) expect(d).toContain('${');
          break;
        case 'cmdi':
          for (const d of decoded) expect(d).toMatch(/[;|`]|\$\(|\(\) \{|=system&/);
          break;
        case 'bad-ua':
          for (const h of hits)
            expect(
              scannerPrefixes.some((p) => h.ua.startsWith(p)),
              h.ua,
            ).toBe(true);
          break;
        case 'wp-bruteforce':
          expect(hits.filter((h) => /^POST \/(wp-login|xmlrpc)\.php /.test(h.request)).length).toBeGreaterThanOrEqual(
            15,
          );
          break;
        default:
          throw new Error(`unexpected kind ${a.kind}`);
      }
    }
  });

  it('keeps benign traffic free of attack payloads and of 404 bursts', () => {
    const f = truth.files.nginx!;
    const embedded = new Set(f.embedded);
    for (const ip of f.benign) {
      const hits = byIp.get(ip) ?? [];
      if (hits.length === 0) {
        // Only framed addresses and the documentation ones never send a request themselves.
        expect(embedded.has(ip) || ip.startsWith('203.0.113.') || ip.startsWith('198.51.100.'), ip).toBe(true);
        continue;
      }
      for (const h of hits) {
        expect(decode(`${h.request} ${h.referrer} ${h.ua}`)).not.toMatch(
          /\$\{jndi|<script|etc\/passwd|union\s+(all\s+)?select|sleep\(/i,
        );
      }
      const notFound = hits.filter((h) => h.status === 404).map((h) => h.time);
      expect(maxInWindow(notFound, 10 * 60_000), ip).toBeLessThanOrEqual(5);
    }
  });

  it('writes framed benign addresses only into attackers’ referrers and user agents', () => {
    const f = truth.files.nginx!;
    const attackers = new Set(f.attackers.map((a) => a.ip));
    expect(f.embedded.length).toBeGreaterThan(0);
    for (const e of f.embedded) {
      const framing = raw.filter((l) => l.includes(e) && !l.startsWith(`${e} `));
      expect(framing.length, e).toBeGreaterThan(0);
      for (const l of framing) expect(attackers.has(l.slice(0, l.indexOf(' ')))).toBe(true);
    }
  });
});
