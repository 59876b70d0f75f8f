import { LeukoError, type LeukoErrorCode } from '../../core/errors.js';
import { type CommandRunner, EXEC_KILLED, spawnRunner } from './exec.js';
import { type NftListing, parseNftJson } from './json.js';

/**
 * core/errors.ts has no code for a failed OS command yet; this one is stable and should move
 * into LeukoErrorCode (reported to the lead).
 */
export const PLATFORM_FAILED: LeukoErrorCode = 'PLATFORM_FAILED';

export interface NftOptions {
  /** Run nft through this, e.g. `['ip', 'netns', 'exec', 'leuko-t-1a2b']`. */
  readonly prefix?: readonly string[];
  /** Default `nft` (found on PATH). */
  readonly binary?: string;
  /** Upper bound per nft process. Default 30 s: a 10 000-element batch takes well under 1 s. */
  readonly timeoutMs?: number;
  /**
   * A script longer than this is split over several processes. Default 8 MiB, about
   * 250 000 elements: far above any real batch, so in practice a batch is one process.
   */
  readonly maxScriptBytes?: number;
  /** Injected process runner (tests count processes with it). */
  readonly exec?: CommandRunner;
}

export interface NftCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** A typed handle on the `nft` binary. Every call is exactly one process (see maxScriptBytes). */
export interface Nft {
  /**
   * Feed a whole script through `nft -f -`: one process, one kernel transaction, all or nothing.
   * Only when the script exceeds maxScriptBytes is it split, at newlines.
   * @example await nft.run('add element inet leuko ban4 { 203.0.113.9 timeout 3600s }')
   */
  run(script: string, options?: NftCallOptions): Promise<void>;
  /**
   * Like run, for a script made of units that must each stay in one transaction (an
   * add/delete/add refresh, say): units are packed into as few processes as the size allows.
   */
  runUnits(units: readonly string[], options?: NftCallOptions): Promise<void>;
  /**
   * `nft -j list <args>`, parsed.
   * @example const { sets } = await nft.listJson(['table', 'inet', 'leuko'])
   */
  listJson(args: readonly string[], options?: NftCallOptions): Promise<NftListing>;
  /** The command prefix + binary, for messages and for tests. */
  readonly command: readonly string[];
}

/** True when nft failed because the named table/set/chain/element does not exist. */
export function isNftNotFound(error: unknown): boolean {
  return error instanceof LeukoError && error.code === PLATFORM_FAILED && error.details['notFound'] === true;
}

/** nft prints `Error: ...` lines with the offending statement underneath; keep the gist. */
function summarize(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.includes('Error:'));
  const text = (lines.length > 0 ? lines.slice(0, 3).join('; ') : stderr.trim()) || 'no output';
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

/** Split text into pieces of at most `max` characters at newlines (a longer single line stays whole). */
function packUnits(units: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const unit of units) {
    if (unit === '') continue;
    const piece = unit.endsWith('\n') ? unit : `${unit}\n`;
    if (current !== '' && current.length + piece.length > max) {
      out.push(current);
      current = '';
    }
    current += piece;
  }
  if (current !== '') out.push(current);
  return out;
}

export function createNft(options: NftOptions = {}): Nft {
  const command = [...(options.prefix ?? []), options.binary ?? 'nft'];
  const exec = options.exec ?? spawnRunner;
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxScriptBytes ?? 8 * 1024 * 1024;

  async function invoke(args: readonly string[], input: string | undefined, call: NftCallOptions = {}) {
    const argv = [...command, ...args];
    let result: Awaited<ReturnType<CommandRunner>>;
    try {
      result = await exec(argv, {
        ...(input === undefined ? {} : { input }),
        timeoutMs: call.timeoutMs ?? defaultTimeout,
        ...(call.signal ? { signal: call.signal } : {}),
      });
    } catch (cause) {
      throw new LeukoError(PLATFORM_FAILED, `cannot run ${argv.join(' ')}: ${(cause as Error).message}`, {
        cause,
        details: { argv },
      });
    }
    if (result.code !== 0) {
      const stderr = result.stderr;
      throw new LeukoError(PLATFORM_FAILED, `nft ${args.join(' ')} failed: ${summarize(stderr)}`, {
        details: {
          argv,
          exitCode: result.code,
          stderr,
          killed: result.code === EXEC_KILLED,
          notFound: /No such file or directory/.test(stderr),
        },
      });
    }
    return result.stdout;
  }

  const nft: Nft = {
    command,
    async run(script, call) {
      if (script.length <= maxBytes) {
        await invoke(['-f', '-'], script, call);
        return;
      }
      await nft.runUnits(script.split('\n'), call);
    },
    async runUnits(units, call) {
      for (const chunk of packUnits(units, maxBytes)) await invoke(['-f', '-'], chunk, call);
    },
    async listJson(args, call) {
      const stdout = await invoke(['-j', 'list', ...args], undefined, call);
      try {
        return parseNftJson(stdout);
      } catch (cause) {
        throw new LeukoError(PLATFORM_FAILED, `nft -j list ${args.join(' ')} printed invalid JSON`, {
          cause,
          details: { stdout: stdout.slice(0, 500) },
        });
      }
    },
  };
  return nft;
}
