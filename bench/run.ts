/**
 * `npm run bench`: generate a day of sshd and nginx logs with ground truth, replay them through
 * Leuko and through fail2ban, and compare speed, memory, precision and recall.
 *
 *   npx tsx bench/run.ts [--lines 1e6] [--only sshd|nginx] [--skip-peers] [--seed 1] [--regen]
 */
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pc from 'picocolors';
import type { FileTruth } from './generate/index.js';
import { benchImportedSshd } from './fail2ban-filters.js';
import { parseBenchArgs, USAGE } from './lib/args.js';
import { benchStart, prepareDataset } from './lib/dataset.js';
import {
  type Fail2banRun,
  type Fail2banSpeed,
  NGINX_JAILS,
  runFail2ban,
  SSHD_JAILS,
  timeFail2banDefault,
} from './lib/fail2ban.js';
import { runHealBench } from './heal.js';
import { runLeuko } from './lib/leuko.js';
import {
  type Acceptance,
  acceptanceLines,
  benignAlarm,
  kindTable,
  type ResultRow,
  resultsTable,
} from './lib/report.js';
import { scoreBans } from './lib/score.js';
import { runFleetBench } from './fleet.js';
import { ensureTool } from './lib/system-tools.js';
import { floorLine, timeFloorScan } from './lib/floor.js';
import { crowdsecBench, type SampleRow } from './crowdsec.js';
import { runSigmaBench, sigmaBenchLine } from './sigma.js';
import { benchWebIntel } from './web-attacks.js';
import { drainBench } from './drain.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const log = (msg: string): void => {
  process.stderr.write(`${pc.dim('[bench]')} ${msg}\n`);
};

async function leukoRow(
  cmd: readonly string[],
  file: 'sshd' | 'nginx',
  logPath: string,
  truth: FileTruth,
): Promise<ResultRow> {
  log(`leuko replay --format ${file} ${path.relative(ROOT, logPath)} ...`);
  const run = await runLeuko(cmd, file, logPath, ROOT);
  const bans = run.output.decisions.map((d) => ({ scope: d.scope, value: d.value }));
  return {
    tool: 'leuko',
    file,
    lines: truth.lines,
    seconds: run.seconds,
    linesPerSec: truth.lines / run.seconds,
    cpuSeconds: run.cpuSeconds,
    peakRssMb: run.peakRssMb,
    score: scoreBans(truth, bans),
    extra: {
      reportedLines: run.output.lines,
      events: run.output.events,
      unparsed: run.output.unparsed,
      alerts: run.output.alerts.length,
    },
  };
}

function fail2banRow(tool: string, file: 'sshd' | 'nginx', runs: readonly Fail2banRun[], truth: FileTruth): ResultRow {
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const cpu = runs.every((r) => r.cpuSeconds !== undefined)
    ? runs.reduce((s, r) => s + (r.cpuSeconds ?? 0), 0)
    : undefined;
  const bans = runs.flatMap((r) => r.bans.map((b) => ({ scope: 'ip', value: b.ip })));
  return {
    tool,
    file,
    lines: truth.lines,
    seconds,
    linesPerSec: truth.lines / seconds,
    cpuSeconds: cpu,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    score: scoreBans(truth, bans),
    extra: {
      filters: runs.map((r) => r.jail.filter).join('+'),
      failures: runs.reduce((s, r) => s + r.failures, 0),
      jail: runs
        .map(
          (r) =>
            `${r.jail.filter}: maxretry ${r.jail.maxretry}, findtime ${r.jail.findtime}s, bantime ${r.jail.bantime}s`,
        )
        .join('; '),
    },
  };
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const outDir = path.resolve(ROOT, args.outDir ?? 'bench/out');
  ensureTool('time', 'time', log);

  log(
    `preparing ${args.lines.toLocaleString('en-US')}-line logs in ${path.relative(ROOT, outDir) || '.'} (seed ${args.seed})...`,
  );
  const data = prepareDataset({
    outDir,
    lines: args.lines,
    seed: args.seed,
    start: benchStart(Date.now()),
    regen: args.regen,
    ...(args.only === undefined ? {} : { only: args.only }),
  });
  log(
    data.generatedSeconds === undefined
      ? 'reusing the logs already generated'
      : `generated in ${data.generatedSeconds.toFixed(1)} s`,
  );

  const leukoCmd = args.leuko ?? [process.execPath, path.join(ROOT, 'dist/cli/main.js')];
  const leukoBuilt = args.leuko !== undefined || existsSync(leukoCmd[1] as string);
  if (!leukoBuilt) log(pc.yellow('dist/cli/main.js not found: run `npm run build` first; Leuko is skipped'));
  const f2b = args.skipPeers ? undefined : ensureTool('fail2ban-regex', 'fail2ban', log);

  const rows: ResultRow[] = [];
  const errors: string[] = [];
  let f2bDefault: Fail2banSpeed | undefined;
  for (const file of ['sshd', 'nginx'] as const) {
    const logPath = data.paths[file];
    const truth = data.truth.files[file];
    if (logPath === undefined || truth === undefined) continue;
    if (leukoBuilt) {
      try {
        rows.push(await leukoRow(leukoCmd, file, logPath, truth));
      } catch (e) {
        errors.push(`leuko on ${file}: ${(e as Error).message}`);
      }
    }
    if (f2b === undefined) continue;
    const jails = file === 'sshd' ? SSHD_JAILS : NGINX_JAILS;
    const runs: Fail2banRun[] = [];
    for (const jail of jails) {
      log(`fail2ban-regex -o row ${path.relative(ROOT, logPath)} ${jail.filter} ...`);
      try {
        runs.push(await runFail2ban(f2b, logPath, jail));
      } catch (e) {
        errors.push(`fail2ban ${jail.filter} on ${file}: ${(e as Error).message}`);
      }
    }
    if (file === 'sshd') {
      log(`fail2ban-regex ${path.relative(ROOT, logPath)} sshd (default output, timing only) ...`);
      try {
        f2bDefault = await timeFail2banDefault(f2b, logPath, 'sshd');
      } catch (e) {
        errors.push(`fail2ban default output on sshd: ${(e as Error).message}`);
      }
    }
    if (runs.length > 1) for (const r of runs) rows.push(fail2banRow(`fail2ban:${r.jail.filter}`, file, [r], truth));
    if (runs.length > 0)
      rows.push(fail2banRow(runs.length > 1 ? 'fail2ban (all filters)' : 'fail2ban', file, runs, truth));
  }

  console.log(resultsTable(rows));
  if (data.paths.sshd) await benchImportedSshd(data.paths.sshd, f2b);
  const sshdLines = rows.find((r) => r.file === 'sshd')?.lines;
  if (f2bDefault && sshdLines) {
    console.log(
      `fail2ban-regex FILE sshd (default output, as users run it): ${f2bDefault.seconds.toFixed(2)} s` +
        `${f2bDefault.cpuSeconds === undefined ? '' : ` (${f2bDefault.cpuSeconds.toFixed(2)} CPU s)`}, ` +
        `${Math.round(sshdLines / f2bDefault.seconds).toLocaleString('en-US')} lines/s, peak RSS ${f2bDefault.peakRssMb.toFixed(1)} MB ` +
        '(the rows above time `-o row`, which streams and is faster)',
    );
  }
  for (const file of ['sshd', 'nginx'] as const) {
    const mine = rows.filter((r) => r.file === file);
    if (mine.length === 0) continue;
    console.log(`\nrecall per attack kind, ${file}:`);
    console.log(kindTable(mine));
  }
  for (const line of benignAlarm(rows)) console.log(line);
  let crowdsecRows: SampleRow[] = [];
  if (!args.skipPeers && args.crowdsecLines > 0) {
    try {
      const cs = await crowdsecBench({
        logs: data.paths,
        truth: data.truth.files,
        sampleLines: args.crowdsecLines,
        outDir,
        root: ROOT,
        log,
        ...(leukoBuilt ? { leukoCmd } : {}),
      });
      crowdsecRows = cs.rows;
      console.log(`\n${cs.lines.join('\n')}`);
    } catch (e) {
      errors.push(`crowdsec: ${(e as Error).message}`);
    }
  }
  if (data.paths.nginx !== undefined) {
    try {
      const lines = await benchWebIntel({
        nginxLog: data.paths.nginx,
        outDir,
        root: ROOT,
        log,
        ...(leukoBuilt ? { leukoCmd } : {}),
      });
      console.log(`\n${lines.join('\n')}`);
    } catch (e) {
      errors.push(`web attacks / intel: ${(e as Error).message}`);
    }
  }
  for (const e of errors) console.log(pc.red(`error: ${e}`));

  const ratios: Record<string, number> = {};
  const checks: Acceptance[] = [];
  for (const file of ['sshd', 'nginx'] as const) {
    const leuko = rows.find((r) => r.file === file && r.tool === 'leuko');
    const peer = rows.find((r) => r.file === file && (r.tool === 'fail2ban' || r.tool === 'fail2ban (all filters)'));
    if (leuko && peer) {
      ratios[file] = leuko.linesPerSec / peer.linesPerSec;
      console.log(`\n${file}: Leuko/fail2ban lines/s = ${ratios[file].toFixed(1)}x`);
    }
    if (file === 'sshd' && leuko) {
      if (f2bDefault) {
        const ratio = leuko.linesPerSec / (leuko.lines / f2bDefault.seconds);
        ratios.sshdDefaultOutput = ratio;
        console.log(`sshd: Leuko/fail2ban-regex (default output) lines/s = ${ratio.toFixed(1)}x`);
        if (f2bDefault.cpuSeconds !== undefined && leuko.cpuSeconds !== undefined) {
          // Per CPU second: what the ratio would be if neither had to wait for a core (shared machines).
          ratios.sshdDefaultOutputCpu = f2bDefault.cpuSeconds / leuko.cpuSeconds;
          console.log(
            `sshd: Leuko/fail2ban-regex (default output) lines per CPU second = ${ratios.sshdDefaultOutputCpu.toFixed(1)}x (not the acceptance figure)`,
          );
        }
        if (data.paths.sshd !== undefined) {
          const floor = await timeFloorScan(data.paths.sshd);
          if (floor !== undefined) console.log(floorLine(floor, f2bDefault.seconds / 20));
        }
        checks.push({
          name: 'sshd throughput >= 20x fail2ban-regex (default output)',
          pass: ratio >= 20,
          detail: `${ratio.toFixed(1)}x`,
        });
      }
      checks.push({
        name: 'sshd peak RSS < 200 MB',
        pass: leuko.peakRssMb < 200,
        detail: `${leuko.peakRssMb.toFixed(1)} MB`,
      });
      checks.push({
        name: 'sshd: no benign address banned',
        pass: leuko.score.benignBanned.length === 0,
        detail: `${leuko.score.benignBanned.length} benign banned`,
      });
    }
  }
  checks.push(...(await drainBench()));
  if (checks.length > 0) {
    console.log(
      `\nacceptance (defined on the 1,000,000-line sshd log${args.lines === 1_000_000 ? '' : `; this run has ${args.lines.toLocaleString('en-US')} lines`}):`,
    );
    for (const line of acceptanceLines(checks)) console.log(line);
  }
  console.log(`\n${sigmaBenchLine(runSigmaBench({ outDir }))}`);

  // The fleet: A's decision to a ban in force on C with 50 agents on one bus (real nats-server).
  const fleet =
    args.only === undefined
      ? await runFleetBench({ log }).catch((e: Error) => void errors.push(`fleet: ${e.message}`))
      : undefined;

  const heal = await runHealBench(30, log);
  const results = {
    fleet: fleet ?? null,
    heal,
    generatedAt: new Date().toISOString(),
    options: args,
    machine: {
      cpus: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    dataset: {
      seed: data.truth.seed,
      start: data.truth.start,
      hours: data.truth.hours,
      files: Object.fromEntries(
        Object.entries(data.truth.files).map(([k, f]) => [
          k,
          { file: f.file, lines: f.lines, bytes: f.bytes, attackers: f.attackers.length, benign: f.benign.length },
        ]),
      ),
    },
    rows,
    fail2banDefaultOutput: f2bDefault ?? null,
    crowdsec: crowdsecRows,
    ratios,
    acceptance: checks,
    errors,
  };
  const resultsPath = path.join(outDir, 'results.json');
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${path.relative(ROOT, resultsPath)}`);
  return checks.some((c) => !c.pass) || errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(pc.red(e instanceof Error ? e.message : String(e)));
    process.exitCode = 2;
  },
);
