/**
 * Web-attack classification and threat-intel benchmarks (issue 5), called from bench/run.ts:
 * - classification lines/s over the generated nginx log (parse excluded and included),
 * - load time of a 100 000-entry STIX bundle and plain IP list,
 * - `leuko replay` lines/s on the nginx log with and without a 100 000-entry feed attached.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/core/clock.js';
import { intelSchema } from '../src/config/intel.js';
import { createSequentialIds } from '../src/core/ids.js';
import { createIntelDetector } from '../src/detectors/intel/detector.js';
import { IntelHub } from '../src/detectors/intel/feeds.js';
import { IndicatorSet } from '../src/detectors/intel/indicators.js';
import { loadPlain, loadStix } from '../src/detectors/intel/loaders.js';
import { tagAttack } from '../src/detectors/web-attacks/enricher.js';
import { createParser } from '../src/parsers/index.js';
import { createRng } from './generate/rng.js';
import { runLeuko } from './lib/leuko.js';

function seededIps(n: number, seed: number): string[] {
  const rng = createRng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rng.next() * 0xffffffff) >>> 0;
    out.push(`${(a >>> 24) | 1}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}${i % 10 === 0 ? '/24' : ''}`);
  }
  return out;
}

/** Write a 100k plain list and a 100k STIX bundle; returns their paths. */
export function writeFeeds(outDir: string, n = 100_000): { plain: string; stix: string } {
  mkdirSync(outDir, { recursive: true });
  const ips = seededIps(n, 5);
  const plain = path.join(outDir, 'intel-100k.txt');
  writeFileSync(plain, `${ips.join('\n')}\n`);
  const objects = ips.map((ip, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${String(i).padStart(12, '0')}`,
    pattern_type: 'stix',
    pattern: `[ipv4-addr:value = '${ip}']`,
    valid_from: '2026-01-01T00:00:00Z',
  }));
  const stix = path.join(outDir, 'intel-100k.stix.json');
  writeFileSync(stix, JSON.stringify({ type: 'bundle', id: 'bundle--bench', objects }));
  return { plain, stix };
}

/** Wall and CPU time: on a shared machine CPU time is the fairer figure (both are reported). */
function timeLoad(
  text: string,
  load: (t: string) => ReturnType<typeof loadPlain>,
): { ms: number; cpuMs: number; entries: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = load(text);
  const set = new IndicatorSet();
  for (const ind of r.indicators) set.add('bench', ind);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, entries: set.size };
}

export async function benchWebIntel(opts: {
  nginxLog: string;
  outDir: string;
  root: string;
  leukoCmd?: readonly string[];
  log: (m: string) => void;
}): Promise<string[]> {
  const report: string[] = [];
  const text = readFileSync(opts.nginxLog, 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const parse = createParser('nginx', { clock: systemClock });
  const events = lines.map((l) => parse(l)?.event).filter((e) => e !== undefined && e !== null);
  // Parsing alone, for scale: the machine may be shared, so only same-run ratios mean much.
  let t0 = performance.now();
  for (const l of lines) parse(l);
  const parseS = (performance.now() - t0) / 1000;
  // Classification alone (events parsed up front; each pass on fresh copies).
  const copies = events.map((e) => ({ ...e }));
  t0 = performance.now();
  let tagged = 0;
  for (const e of copies) if (tagAttack(e)) tagged++;
  const classifyS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  for (const l of lines) {
    const e = parse(l)?.event;
    if (e) tagAttack(e);
  }
  const bothS = (performance.now() - t0) / 1000;
  report.push(
    `web-attack classification: ${Math.round(events.length / classifyS).toLocaleString('en-US')} lines/s alone, ` +
      `${Math.round(lines.length / bothS).toLocaleString('en-US')} lines/s with parsing, parsing alone ${Math.round(lines.length / parseS).toLocaleString('en-US')} lines/s ` +
      `(${lines.length.toLocaleString('en-US')} nginx lines, ${tagged.toLocaleString('en-US')} tagged)`,
  );

  const feeds = writeFeeds(opts.outDir);
  const plain = timeLoad(readFileSync(feeds.plain, 'utf8'), loadPlain);
  const stix = timeLoad(readFileSync(feeds.stix, 'utf8'), (t) => loadStix(t, Date.now()));
  report.push(
    `intel feed load (100,000 entries, parse + index): plain list ${plain.ms.toFixed(0)} ms (${plain.cpuMs.toFixed(0)} ms CPU), ` +
      `STIX 2.1 bundle ${stix.ms.toFixed(0)} ms (${stix.cpuMs.toFixed(0)} ms CPU), ${stix.entries.toLocaleString('en-US')} indexed; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
  );

  // Matching alone: the intel detector over every parsed event, with the 100k feed and empty.
  const feedsCfg = intelSchema.parse({ feeds: [{ name: 'bench100k', path: feeds.stix, format: 'stix' }] })?.feeds ?? [];
  const matchRate = (hub: IntelHub): number => {
    const det = createIntelDetector({ feeds: feedsCfg, hub, ids: createSequentialIds() });
    const start = performance.now();
    for (const e of events) det.process({ time: 0, event: e, sourceId: 'bench' });
    return events.length / ((performance.now() - start) / 1000);
  };
  const full = new IntelHub();
  full.replace('bench100k', loadStix(readFileSync(feeds.stix, 'utf8'), Date.now()).indicators);
  const empty = new IntelHub();
  empty.replace('bench100k', [{ type: 'ip', value: '192.0.2.1' }]);
  const withFeedRate = Math.min(matchRate(full), matchRate(full));
  const oneEntryRate = Math.min(matchRate(empty), matchRate(empty));
  report.push(
    `intel matching per event: ${Math.round(withFeedRate).toLocaleString('en-US')} events/s with the 100k feed, ` +
      `${Math.round(oneEntryRate).toLocaleString('en-US')} with a 1-entry feed`,
  );

  if (opts.leukoCmd !== undefined) {
    const cfg = path.join(opts.outDir, 'intel-bench.yaml');
    writeFileSync(
      cfg,
      `intel:\n  feeds:\n    - { name: bench100k, path: ${JSON.stringify(feeds.stix)}, format: stix }\n`,
    );
    // Alternate the two runs and keep each one's best, so a load spike on a shared machine
    // does not decide the comparison.
    let a = 0;
    let b = 0;
    let base: Awaited<ReturnType<typeof runLeuko>> | undefined;
    let withFeed: Awaited<ReturnType<typeof runLeuko>> | undefined;
    for (let round = 0; round < 2; round++) {
      base = await runLeuko(opts.leukoCmd, 'nginx', opts.nginxLog, opts.root);
      withFeed = await runLeuko([...opts.leukoCmd, '--config', cfg], 'nginx', opts.nginxLog, opts.root);
      a = Math.max(a, base.output.lines / base.seconds);
      b = Math.max(b, withFeed.output.lines / withFeed.seconds);
    }
    if (base === undefined || withFeed === undefined) return report;
    report.push(
      `replay with a 100,000-entry STIX feed: ${Math.round(b).toLocaleString('en-US')} lines/s vs ${Math.round(a).toLocaleString('en-US')} without (${((b / a) * 100).toFixed(0)} %), peak RSS ${withFeed.peakRssMb.toFixed(0)} vs ${base.peakRssMb.toFixed(0)} MB`,
    );
  }
  return report;
}
