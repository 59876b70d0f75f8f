import { type CommandResult, type RunOptions, runCommand } from './run-command.js';

export { abortReason, sleep, withTimeout } from './abort.js';
export { type CommandResult, type RunOptions, runCommand } from './run-command.js';

/**
 * How responders run programs: injected, so a test can bind a namespace prefix (or record
 * calls) without touching the code that decides what to run.
 */
export type CommandRunner = (argv: readonly string[], opts: RunOptions) => Promise<CommandResult>;

/**
 * A runner with defaults bound, e.g. every command inside a network namespace.
 *
 * @example
 * const run = createCommandRunner({ prefix: ['ip', 'netns', 'exec', 'leuko-t-1'] });
 * await run(['nft', 'list', 'ruleset'], { timeoutMs: 5000 });
 */
export function createCommandRunner(defaults: { prefix?: readonly string[] } = {}): CommandRunner {
  const prefix = defaults.prefix;
  if (!prefix || prefix.length === 0) return runCommand;
  return (argv, opts) => runCommand(argv, { ...opts, prefix: [...prefix, ...(opts.prefix ?? [])] });
}

/** One line for logs and outcomes: `exit 2: usermod: user 'x' does not exist`. */
export function describeResult(r: CommandResult): string {
  const how = r.spawnError
    ? `could not start (${r.spawnError})`
    : r.timedOut
      ? 'timed out'
      : r.aborted
        ? 'aborted'
        : r.signal
          ? `killed by ${r.signal}`
          : `exit ${r.code}`;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n', 1)[0]?.slice(0, 300) ?? '';
  return text ? `${how}: ${text}` : how;
}
