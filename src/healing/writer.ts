import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Bytes each process has written so far (`wchar` in /proc/PID/io), keyed by pid. */
export type WriteSample = Map<number, { wchar: number; startTicks: number; comm: string }>;

async function readStatFields(
  procRoot: string,
  pid: number,
): Promise<{ comm: string; startTicks: number } | undefined> {
  try {
    const text = await fs.readFile(path.join(procRoot, String(pid), 'stat'), 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const rest = text.slice(close + 2).split(' ');
    // Field 22 (starttime) is index 19 after pid and comm.
    return { comm, startTicks: Number(rest[19]) };
  } catch {
    return undefined;
  }
}

/** One pass over /proc: write counters of every process we may read. */
export async function sampleWrites(procRoot = '/proc'): Promise<WriteSample> {
  const out: WriteSample = new Map();
  const names = await fs.readdir(procRoot).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n) => {
        const pid = Number(n);
        try {
          const io = await fs.readFile(path.join(procRoot, n, 'io'), 'utf8');
          const m = /^wchar:\s*(\d+)/m.exec(io);
          if (!m) return;
          const st = await readStatFields(procRoot, pid);
          if (st) out.set(pid, { wchar: Number(m[1]), ...st });
        } catch {
          // Gone, or not ours to read.
        }
      }),
  );
  return out;
}

/** Processes holding a file open under `root` (or with their working directory there). */
export async function openersUnder(root: string, procRoot = '/proc'): Promise<number[]> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const hits = new Set<number>();
  const names = await fs.readdir(procRoot).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n) => {
        const dir = path.join(procRoot, n, 'fd');
        const fds = await fs.readdir(dir).catch(() => [] as string[]);
        for (const fd of fds) {
          const target = await fs.readlink(path.join(dir, fd)).catch(() => '');
          if (target.startsWith(prefix)) {
            hits.add(Number(n));
            return;
          }
        }
      }),
  );
  return [...hits];
}

export interface Writer {
  readonly pid: number;
  readonly startTicks: number;
  readonly comm: string;
  /** Bytes written between the samples. */
  readonly wrote: number;
  readonly how: string;
}

/**
 * Who is rewriting the tree: a process with a file open under it, else the one whose write
 * counter grew most between two samples (at least `minBytes`: a quiet process is never
 * blamed for a burst). Leuko itself and its ancestors are excluded.
 */
export async function findWriter(opts: {
  root: string;
  before: WriteSample;
  after: WriteSample;
  minBytes: number;
  exclude: ReadonlySet<number>;
  procRoot?: string;
}): Promise<Writer | undefined> {
  const delta = (pid: number) => {
    const a = opts.after.get(pid);
    const b = opts.before.get(pid);
    if (!a) return 0;
    return b && b.startTicks === a.startTicks ? a.wchar - b.wchar : a.wchar;
  };
  const openers = (await openersUnder(opts.root, opts.procRoot)).filter((p) => !opts.exclude.has(p));
  let best: Writer | undefined;
  for (const pid of openers) {
    const a = opts.after.get(pid) ?? (await sampleWrites(opts.procRoot)).get(pid);
    if (!a) continue;
    const w = delta(pid);
    if (!best || w > best.wrote)
      best = { pid, startTicks: a.startTicks, comm: a.comm, wrote: w, how: `had a file open under ${opts.root}` };
  }
  if (best) return best;
  for (const [pid, a] of opts.after) {
    if (opts.exclude.has(pid)) continue;
    const w = delta(pid);
    if (w >= opts.minBytes && (!best || w > best.wrote))
      best = { pid, startTicks: a.startTicks, comm: a.comm, wrote: w, how: `wrote ${w} bytes during the burst` };
  }
  return best;
}
