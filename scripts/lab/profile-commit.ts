/**
 * `tsx scripts/lab/profile-commit.ts [N...]`: what one detection's commit costs as the scenario
 * engine holds more buckets. Leuko commits a detection at once together with the whole engine
 * snapshot (persistEngineState), so the snapshot is serialised on the path from the trigger
 * line to the ban. This pours N failed-login lines and N failing HTTP requests from N distinct
 * addresses (one each: buckets open, nothing fires) through the built-in scenarios and times
 * `engine.snapshot()`. A profiling aid for the lab report, not a test.
 */
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../src/core/clock.js';
import { createIdGenerator } from '../../src/core/ids.js';
import { createScenarioEngine } from '../../src/detectors/scenarios/engine.js';
import { createParser } from '../../src/parsers/index.js';
import { loadConfiguredScenarios } from '../../src/pipeline/assemble.js';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const scenarios = loadConfiguredScenarios({ builtin: true, dirs: [], disable: [], overrides: {} });
const sshd = createParser('sshd', { clock: systemClock });
const nginx = createParser('nginx', { clock: systemClock });
const addr = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

for (const n of sizes.length ? sizes : [1_000, 10_000, 100_000]) {
  const engine = createScenarioEngine(scenarios, { ids: createIdGenerator() });
  const t0 = Date.UTC(2026, 10, 23, 8, 0, 0);
  for (let i = 0; i < n; i++) {
    const ts = new Date(t0 + i).toISOString().replace('Z', '+00:00');
    const a = sshd(`${ts} victim sshd[1]: Failed password for root from ${addr(i)} port 4242 ssh2`);
    if (a) engine.process({ time: a.time, event: a.event, sourceId: 'auth' });
    const b = nginx(`${addr(i)} - - [23/Nov/2026:08:00:00 +0000] "GET /x${i} HTTP/1.1" 404 153 "-" "curl/8"`);
    if (b) engine.process({ time: b.time, event: b.event, sourceId: 'web' });
  }
  const times: number[] = [];
  let bytes = 0;
  for (let k = 0; k < 5; k++) {
    const s = performance.now();
    bytes = engine.snapshot().length;
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  console.log(
    `${String(n).padStart(7)} addresses: engine.snapshot() median ${times[2]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}), ${(bytes / 1024).toFixed(0)} KiB`,
  );
}
