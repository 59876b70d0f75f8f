import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { killGroup, type RunResult, waitProcess } from './proc.js';
import type { Lab } from './topology.js';

/** 30 of the most common passwords: hydra's run is bounded by the list, not by luck. */
export const WORDLIST = [
  '123456',
  'password',
  '12345678',
  'qwerty',
  '123456789',
  '12345',
  '1234',
  '111111',
  '1234567',
  'dragon',
  '123123',
  'baseball',
  'abc123',
  'football',
  'monkey',
  'letmein',
  '696969',
  'shadow',
  'master',
  '666666',
  'qwertyuiop',
  '123321',
  'mustang',
  '1234567890',
  'michael',
  '654321',
  'superman',
  '1qaz2wsx',
  '7777777',
  'toor',
];

export interface AttackContext {
  readonly lab: Lab;
  readonly victim: string;
  /** Scratch dir for the tool (its HOME and cwd: sqlmap, wapiti and hydra write state there). */
  readonly workDir: string;
}

export interface AttackSpec {
  readonly name: string;
  /** The binary it runs (checked before the lab starts). */
  readonly tool: string;
  /** What it attacks, for the report. */
  readonly target: string;
  /** The ports it attacks: cut off means every one of them refuses or drops the attacker. */
  readonly ports: readonly number[];
  /** Hard bound on the tool's run time. */
  readonly timeLimitMs: number;
  argv(ctx: AttackContext): string[];
}

/**
 * Real tools from apt, each bounded in requests and time. Worst case (nothing is ever banned,
 * every tool runs to its bound) the five attacks plus grace periods take about 3 minutes;
 * typically about one. The flags keep each one small and
 * deterministic enough for CI, not stealthy: we measure containment, not evasion.
 */
export const ATTACKS: Readonly<Record<string, AttackSpec>> = {
  hydra: {
    name: 'hydra',
    tool: 'hydra',
    target: 'sshd (password brute force, 30 passwords, 4 tasks)',
    ports: [22],
    timeLimitMs: 35_000,
    argv: ({ victim, workDir }) => {
      const list = path.join(workDir, 'passwords.txt');
      writeFileSync(list, `${WORDLIST.join('\n')}\n`);
      return ['hydra', '-I', '-l', 'root', '-P', list, '-t', '4', '-W', '1', '-w', '5', `ssh://${victim}`];
    },
  },
  sqlmap: {
    name: 'sqlmap',
    tool: 'sqlmap',
    target: 'nginx /item?id=1 (SQL injection probing)',
    ports: [80],
    timeLimitMs: 30_000,
    argv: ({ victim, workDir }) => [
      'sqlmap',
      '-u',
      `http://${victim}/item?id=1`,
      '--batch',
      '--level',
      '1',
      '--risk',
      '1',
      '--smart',
      '--threads',
      '1',
      '--timeout',
      '3',
      '--retries',
      '0',
      '--disable-coloring',
      '--output-dir',
      path.join(workDir, 'sqlmap'),
    ],
  },
  wapiti: {
    name: 'wapiti',
    tool: 'wapiti',
    target: 'nginx (crawl + sql/xss/exec/file modules)',
    ports: [80],
    timeLimitMs: 30_000,
    argv: ({ victim, workDir }) => [
      'wapiti',
      '-u',
      `http://${victim}/`,
      '-m',
      'sql,xss,exec,file',
      '--scope',
      'folder',
      '-d',
      '2',
      '--max-scan-time',
      '25',
      '--max-attack-time',
      '10',
      '-t',
      '3',
      '--flush-session',
      '--store-session',
      path.join(workDir, 'session'),
      '-f',
      'txt',
      '-o',
      path.join(workDir, 'report.txt'),
    ],
  },
  'nmap-http-enum': {
    name: 'nmap-http-enum',
    tool: 'nmap',
    target: 'nginx (nmap -sV --script http-enum: known-path discovery)',
    ports: [80],
    timeLimitMs: 30_000,
    argv: ({ victim }) => [
      'nmap',
      '-sV',
      '-Pn',
      '-n',
      '-p80',
      '--script',
      'http-enum',
      '--max-retries',
      '1',
      '--host-timeout',
      '25s',
      victim,
    ],
  },
  nmap: {
    name: 'nmap',
    tool: 'nmap',
    target: 'sshd + nginx (nmap -sV -p22,80: service detection)',
    ports: [22, 80],
    timeLimitMs: 25_000,
    argv: ({ victim }) => [
      'nmap',
      '-sV',
      '-Pn',
      '-n',
      '-p22,80',
      '--max-retries',
      '1',
      '--host-timeout',
      '20s',
      victim,
    ],
  },
};

export const ATTACK_ORDER = ['hydra', 'sqlmap', 'wapiti', 'nmap-http-enum', 'nmap'] as const;

/** What the tool itself saw. */
export interface ToolOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  /** Killed because it reached its time bound. */
  readonly boundHit: boolean;
  /** Stopped by the lab after the ban had been in force for the dwell time. */
  readonly stoppedEarly: boolean;
  /** Output lines reporting a timeout (a drop rule). */
  readonly timeouts: number;
  /** Output lines reporting a refused/reset/unreachable connection (a reject rule). */
  readonly refused: number;
  /** Last lines of its output, for the report. */
  readonly tail: string;
}

export interface RunningAttack {
  readonly spec: AttackSpec;
  readonly startedAt: number;
  readonly done: Promise<ToolOutcome>;
  readonly exited: () => boolean;
  /** End it now (SIGTERM to its process group). */
  stop(): void;
}

const TIMEOUT_RE = /timed?[ -]?out|timeout/i;
const REFUSED_RE = /refused|unreachable|could not connect|unable to connect|connection reset|no route to host/i;

export function summarizeOutput(r: RunResult, stoppedEarly: boolean): ToolOutcome {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n');
  const tail = lines
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-6)
    .join('\n');
  return {
    exitCode: r.code,
    signal: r.signal,
    durationMs: r.durationMs,
    boundHit: r.timedOut,
    stoppedEarly,
    // Lines, not matches: "could not connect ... Connection refused" is one failed attempt.
    timeouts: lines.filter((l) => TIMEOUT_RE.test(l)).length,
    refused: lines.filter((l) => REFUSED_RE.test(l)).length,
    tail,
  };
}

/** Launch one attack from the attacker namespace, bounded by its spec's time limit. */
export function launchAttack(lab: Lab, spec: AttackSpec, startedAt: number): RunningAttack {
  const workDir = path.join(lab.dir, 'attacks', spec.name);
  mkdirSync(workDir, { recursive: true });
  const argv = spec.argv({ lab, victim: lab.victim, workDir });
  const env = { ...process.env, HOME: workDir, TERM: 'dumb', NO_COLOR: '1' };
  const child: ChildProcess = lab.spawn('attacker', argv, { cwd: workDir, env });
  let exited = false;
  let stoppedEarly = false;
  child.once('close', () => {
    exited = true;
  });
  const done = waitProcess(child, spec.timeLimitMs, 256 * 1024).then((r) => {
    exited = true;
    return summarizeOutput(r, stoppedEarly && !r.timedOut);
  });
  return {
    spec,
    startedAt,
    done,
    exited: () => exited,
    stop() {
      if (exited) return;
      stoppedEarly = true;
      killGroup(child, 'SIGTERM');
      // Tools that trap TERM (sqlmap asks before quitting) get KILL, still bounded.
      setTimeout(() => killGroup(child, 'SIGKILL'), 2000).unref();
    },
  };
}
