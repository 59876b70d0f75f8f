import { z } from 'zod';
import { measure } from './measure.js';

/** The part of `leuko replay --json` the benchmark reads; unknown fields are ignored. */
const ReplayOutput = z.object({
  lines: z.number(),
  events: z.number(),
  unparsed: z.number(),
  alerts: z
    .array(
      z.object({
        scenario: z.string(),
        entity: z.object({ type: z.string(), value: z.string() }),
        count: z.number(),
      }),
    )
    .default([]),
  decisions: z.array(
    z.object({
      scope: z.string(),
      value: z.string(),
      action: z.string(),
      duration_s: z.number(),
      scenario: z.string().optional(),
    }),
  ),
});

export type ReplayOutput = z.infer<typeof ReplayOutput>;

/**
 * Read the replay's JSON from its stdout. Tolerates log text before the object (a warning on
 * stdout) by starting at the first line that opens one.
 */
export function parseReplayOutput(stdout: string): ReplayOutput {
  const text = stdout.trim();
  const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1;
  if (start < 0 || text[start] !== '{') throw new Error(`no JSON object in replay output: ${text.slice(0, 200)}`);
  let data: unknown;
  try {
    data = JSON.parse(text.slice(start));
  } catch (cause) {
    throw new Error(`replay output is not JSON: ${text.slice(start, start + 200)}`, { cause });
  }
  const parsed = ReplayOutput.safeParse(data);
  if (!parsed.success) {
    throw new Error(`replay output has an unexpected shape: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export interface LeukoRun {
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly peakRssMb: number;
  readonly output: ReplayOutput;
}

/** Run `<cmd...> replay --json --format FORMAT FILE` and time it. */
export async function runLeuko(
  command: readonly string[],
  format: string,
  file: string,
  cwd: string,
): Promise<LeukoRun> {
  const [bin, ...pre] = command;
  if (bin === undefined) throw new Error('empty Leuko command');
  const m = await measure(bin, [...pre, 'replay', '--json', '--format', format, file], {
    cwd,
    env: { ...process.env, TZ: 'UTC' },
  });
  if (m.exitCode !== 0) throw new Error(`leuko replay exited with ${m.exitCode}: ${m.stderrTail.slice(-2000)}`);
  return {
    seconds: m.seconds,
    cpuSeconds: m.cpuSeconds,
    peakRssMb: m.peakRssMb,
    output: parseReplayOutput(m.stdout),
  };
}
