import { parseArgs } from 'node:util';

export interface BenchArgs {
  readonly lines: number;
  readonly only?: 'sshd' | 'nginx';
  readonly skipPeers: boolean;
  readonly seed: string;
  readonly outDir?: string;
  readonly regen: boolean;
  /** Lines of each log replayed through CrowdSec (and Leuko, beside it); 0: no CrowdSec. */
  readonly crowdsecLines: number;
  /** Command that runs the Leuko CLI, split on spaces. */
  readonly leuko?: readonly string[];
  readonly help: boolean;
}

export const USAGE = `usage: tsx bench/run.ts [options]
  --lines N        lines per generated log (default 1e6; 100k and 1m work too)
  --only K         sshd or nginx
  --skip-peers     do not run fail2ban or CrowdSec
  --crowdsec-lines N
                   replay the first N lines of each log through CrowdSec and Leuko
                   (default 20k; 0 skips CrowdSec: its forensic mode replays
                   about 1,300 sshd or 200 nginx lines/s here)
  --seed S         generator seed (default 1)
  --out DIR        output folder (default bench/out)
  --regen          regenerate the logs even if bench/out has them
  --leuko "CMD"    how to run the Leuko CLI (default: node dist/cli/main.js)`;

/** `1e6`, `1000000`, `100k`, `1m`, `1_000_000`. */
export function parseCount(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([km]?)$/i.exec(text.trim().replace(/_/g, ''));
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      lines: { type: 'string' },
      only: { type: 'string' },
      'skip-peers': { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      regen: { type: 'boolean', default: false },
      'crowdsec-lines': { type: 'string', default: '20k' },
      leuko: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const lines = values.lines === undefined ? 1_000_000 : parseCount(values.lines);
  if (lines === undefined) throw new Error(`--lines: not a positive count: ${values.lines}`);
  if (values.only !== undefined && values.only !== 'sshd' && values.only !== 'nginx') {
    throw new Error(`--only: expected sshd or nginx, got ${values.only}`);
  }
  const crowdsecText = values['crowdsec-lines'];
  const crowdsecLines = crowdsecText === '0' ? 0 : parseCount(crowdsecText);
  if (crowdsecLines === undefined) throw new Error(`--crowdsec-lines: not a count: ${crowdsecText}`);
  return {
    lines,
    crowdsecLines,
    ...(values.only === undefined ? {} : { only: values.only }),
    skipPeers: values['skip-peers'],
    seed: values.seed,
    ...(values.out === undefined ? {} : { outDir: values.out }),
    regen: values.regen,
    ...(values.leuko === undefined ? {} : { leuko: values.leuko.split(/\s+/).filter(Boolean) }),
    help: values.help,
  };
}
