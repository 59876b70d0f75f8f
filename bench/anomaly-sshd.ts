/**
 * The anomaly detector alone over a replay of a big sshd log (default bench/out/auth.log, the
 * 1M-line log bench/run.ts generates): the whole pipeline runs as `leuko replay` does, and the
 * time spent inside the anomaly detector's `process`/`tick` is summed, with its workload (windows
 * closed and learned per profile) and its live model size at the end.
 *
 *   npx tsx bench/anomaly-sshd.ts [FILE] [--format sshd]
 *
 * Wall time inside the detector, so run it beside a baseline on a shared machine; the CLI's
 * `--cpu-prof` inclusive time of the detector is the figure to report.
 */
import { learningSchema } from '../src/config/learning.js';
import { createManualClock } from '../src/core/clock.js';
import type { Detector } from '../src/core/detector.js';
import { createSequentialIds } from '../src/core/ids.js';
import { anomalyFromConfig } from '../src/detectors/anomaly/index.js';
import { replayFiles } from '../src/pipeline/replay.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../src/pipeline/settings.js';
import { createEphemeralStore } from '../src/store/index.js';

const args = process.argv.slice(2);
const fi = args.indexOf('--format');
const format = fi >= 0 ? (args[fi + 1] ?? 'sshd') : 'sshd';
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--format') ?? 'bench/out/auth.log';

const ids = createSequentialIds();
const detector = anomalyFromConfig(learningSchema.parse({}), ids);
if (!detector) throw new Error('anomaly detector disabled');
let ms = 0;
let calls = 0;
let found = 0;
const timed: Detector = {
  name: detector.name,
  process(obs) {
    const t = performance.now();
    const out = detector.process(obs);
    ms += performance.now() - t;
    calls++;
    found += out.length;
    return out;
  },
  tick(time) {
    const t = performance.now();
    const out = detector.tick?.(time) ?? [];
    ms += performance.now() - t;
    found += out.length;
    return out;
  },
};
const started = performance.now();
const cpu0 = process.cpuUsage();
await replayFiles({
  paths: [file],
  format,
  settings: DEFAULT_PIPELINE_SETTINGS,
  store: createEphemeralStore(),
  clock: createManualClock(0),
  ids,
  onDetection: () => undefined,
  extensions: { detectors: [timed] },
});
const cpu = process.cpuUsage(cpu0);
global.gc?.();
const heap = process.memoryUsage().heapUsed;
const snap = detector.snapshot?.() ?? '';
process.stdout.write(
  `${file}: replay ${Math.round(performance.now() - started)} ms wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU; ` +
    `anomaly detector ${Math.round(ms)} ms over ${calls} events, ${found} detections\n` +
    `stats ${JSON.stringify(detector.stats)}\n` +
    `heap after (gc ${global.gc ? 'yes' : 'no'}) ${(heap / 2 ** 20).toFixed(1)} MB, snapshot ${(snap.length / 2 ** 20).toFixed(1)} MB\n`,
);
for (const s of detector.summary()) process.stdout.write(`  ${JSON.stringify(s)}\n`);
