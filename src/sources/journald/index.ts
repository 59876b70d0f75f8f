import { type ChildProcess, spawn } from 'node:child_process';
import { LeukoError } from '../../core/errors.js';
import { emptySourceStats, type Source, type SourceContext } from '../../core/source.js';
import { createLineSplitter } from '../common/line-splitter.js';
import { pumpStream } from '../common/stream-pump.js';
import { journalEntryToLine } from '../../parsers/journald/entry-to-line.js';

export { fieldText, journalEntryToLine, syslogTimestamp } from '../../parsers/journald/entry-to-line.js';
export { journaldAvailable } from './available.js';

export interface JournaldSourceOptions {
  readonly id: string;
  /** Only these systemd units (`-u`, matched on the trusted _SYSTEMD_UNIT field). */
  readonly units?: readonly string[];
  /** Default `journalctl`. */
  readonly command?: string;
  /** Without a checkpoint: new entries only ('end', default) or the whole journal. */
  readonly startAt?: 'end' | 'beginning';
  /** Timestamps of the produced lines (default local, like files written by rsyslog). */
  readonly timeZone?: 'local' | 'utc';
  /** Longest JSON entry accepted (default 1 MiB); longer ones are counted and skipped. */
  readonly maxEntryBytes?: number;
  readonly batchLines?: number;
}

/** Checkpoint text: the journal cursor of the last entry of the batch. */
export function journaldCheckpoint(cursor: string): string {
  return JSON.stringify({ cursor });
}

function parseCursor(checkpoint: string | undefined): string | undefined {
  if (checkpoint === undefined) return undefined;
  try {
    const c = (JSON.parse(checkpoint) as { cursor?: unknown }).cursor;
    return typeof c === 'string' && c.length > 0 && c.length < 4096 ? c : undefined;
  } catch {
    return undefined;
  }
}

export function journalctlArgs(opts: JournaldSourceOptions, cursor: string | undefined): string[] {
  const args = ['--output=json', '--all', '--follow', '--no-pager'];
  for (const u of opts.units ?? []) args.push(`--unit=${u}`);
  // --no-tail: with --follow, journalctl would otherwise stop after the last 10 entries' worth
  // of history; after a cursor we want every entry, however many.
  if (cursor !== undefined) args.push(`--after-cursor=${cursor}`, '--no-tail');
  else if (opts.startAt === 'beginning') args.push('--no-tail');
  else args.push('--lines=0');
  return args;
}

/**
 * Follow the systemd journal through `journalctl -o json -f`, turning each entry into a
 * classic syslog line (see journalEntryToLine) so the file parsers apply unchanged. Each
 * batch's checkpoint is the `__CURSOR` of its last entry; a restart passes it back with
 * `--after-cursor`, so nothing is lost or repeated. Back-pressure: stdout is read only as fast
 * as the pipeline accepts batches; journalctl then blocks on the full pipe.
 * journalctl exiting with an error rejects run() with `SOURCE_FAILED` (stderr in details).
 *
 * @example
 * if (await journaldAvailable()) await createJournaldSource({ id: 'journal', units: ['ssh.service'] }).run(emit, ctx);
 */
export function createJournaldSource(opts: JournaldSourceOptions): Source {
  const stats = emptySourceStats();
  return {
    id: opts.id,
    stats,
    async run(emit, ctx) {
      const cursor = parseCursor(ctx.checkpoint);
      if (ctx.checkpoint !== undefined && cursor === undefined) {
        ctx.warn('ignoring an unreadable journald checkpoint', { sourceId: opts.id });
      }
      const first = await follow(opts, stats, emit, ctx, cursor);
      // A cursor journalctl rejects (from another machine, or a journal that was wiped) would
      // fail the same way on every restart: warn once and start again at the end instead.
      if (first.kind === 'bad-cursor' && !ctx.signal.aborted) {
        ctx.warn('journald rejected the saved cursor; following new entries only', {
          sourceId: opts.id,
          stderr: first.stderr,
        });
        const again = await follow({ ...opts, startAt: 'end' }, stats, emit, ctx, undefined);
        if (again.kind !== 'ok') throw failure(opts, again);
      } else if (first.kind !== 'ok') {
        throw failure(opts, first);
      }
    },
  };
}

type FollowOutcome =
  | { kind: 'ok' }
  | { kind: 'bad-cursor'; stderr: string }
  | { kind: 'failed'; code: number | null; signal: string | null; stderr: string; cause?: unknown };

function failure(opts: JournaldSourceOptions, o: Exclude<FollowOutcome, { kind: 'ok' }>): LeukoError {
  const how = o.kind === 'failed' ? `exited with ${o.code ?? o.signal}` : 'rejected the cursor';
  return new LeukoError('SOURCE_FAILED', `journald source ${opts.id}: ${opts.command ?? 'journalctl'} ${how}`, {
    ...(o.kind === 'failed' && o.cause !== undefined ? { cause: o.cause } : {}),
    details: { stderr: o.stderr },
  });
}

async function follow(
  opts: JournaldSourceOptions,
  stats: ReturnType<typeof emptySourceStats>,
  emit: Parameters<Source['run']>[0],
  ctx: SourceContext,
  cursor: string | undefined,
): Promise<FollowOutcome> {
  const command = opts.command ?? 'journalctl';
  const batchLines = Math.max(1, opts.batchLines ?? 1000);
  let spawnError: unknown;
  let stderr = '';
  const child: ChildProcess = spawn(command, journalctlArgs(opts, cursor), { stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  // Keep only the end of stderr: bounded, and the last words are the useful ones.
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-2048);
  });

  // Lines waiting for emit and, for each, the cursor of the last entry it covers: every batch
  // carries the cursor of its own last entry, so a batch's results and its resume point are
  // committed together (a batch without one would be re-read, and counted, after a crash).
  let lines: string[] = [];
  let cursors: (string | undefined)[] = [];
  let sawOutput = false;
  const splitter = createLineSplitter({
    maxLineBytes: opts.maxEntryBytes ?? 1024 * 1024,
    stats,
    onLine(json) {
      sawOutput = true;
      let entry: unknown;
      try {
        entry = JSON.parse(json);
      } catch {
        stats.errors++;
        return;
      }
      if (typeof entry !== 'object' || entry === null) return;
      const e = entry as Record<string, unknown>;
      const c = typeof e['__CURSOR'] === 'string' ? e['__CURSOR'] : undefined;
      const line = journalEntryToLine(e, opts.timeZone ?? 'local');
      if (line !== null) {
        lines.push(line);
        cursors.push(c);
      } else if (cursors.length > 0 && c !== undefined) {
        cursors[cursors.length - 1] = c; // a skipped entry is done once the line before it is
      }
    },
  });

  async function send(): Promise<void> {
    while (lines.length > 0 && !ctx.signal.aborted) {
      const n = Math.min(batchLines, lines.length);
      const batch = n === lines.length ? lines : lines.slice(0, n);
      const cursor = cursors[n - 1];
      lines = n === lines.length ? [] : lines.slice(n);
      cursors = cursors.slice(n);
      stats.linesRead += batch.length;
      await emit({
        sourceId: opts.id,
        lines: batch,
        ...(cursor !== undefined ? { checkpoint: journaldCheckpoint(cursor) } : {}),
      });
    }
  }

  let offset = 0;
  try {
    if (child.stdout) {
      await pumpStream(child.stdout, ctx.signal, async (chunks) => {
        for (const c of chunks) {
          stats.bytesRead += c.length;
          splitter.feed(c, offset);
          offset += c.length;
        }
        await send();
      });
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  const { code, signal } = await closed;
  if (ctx.signal.aborted) return { kind: 'ok' };
  if (spawnError !== undefined) return { kind: 'failed', code, signal, stderr, cause: spawnError };
  if (code === 0) return { kind: 'ok' };
  if (cursor !== undefined && !sawOutput && /cursor/i.test(stderr)) return { kind: 'bad-cursor', stderr };
  return { kind: 'failed', code, signal, stderr };
}
