import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Bytes each process has written so far (`wchar` in /proc/PID/io), keyed by pid. */
export type WriteSample = Map<number, { wchar: number }>;

async function readStatFields(
  procRoot: string,
  pid: number,
): Promise<{ comm: string; startTicks: number } | undefined> {
  try {
    const text = readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const rest = text.slice(close + 2).split(' ');
    // Field 22 (starttime) is index 19 after pid and comm.
    return { comm, startTicks: Number(rest[19]) };
  } catch {
    return undefined;
  }
}

// /proc is read synchronously here: a few hundred tiny reads take milliseconds in one go,
// while queueing them on libuv's thread pool took half a second on a loaded host, and the
// burst is racing the writer.

function readSync(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function link(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}

function pids(procRoot: string): number[] {
  try {
    return readdirSync(procRoot)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/** One pass over /proc: write counters of every process we may read. */
export async function sampleWrites(procRoot = '/proc'): Promise<WriteSample> {
  const out: WriteSample = new Map();
  for (const pid of pids(procRoot)) {
    const io = readSync(path.join(procRoot, String(pid), 'io'));
    const m = io === undefined ? null : /^wchar:\s*(\d+)/m.exec(io);
    // One read per process: start time and name are read for the culprit only.
    if (m) out.set(pid, { wchar: Number(m[1]) });
  }
  return out;
}

/** Whether an argument names the tree, a path in it, or a directory above it (not `/`). */
function namesTree(arg: string, root: string, prefix: string): boolean {
  if (!arg.startsWith('/')) return false;
  const a = arg.replace(/\/+$/, '');
  return a === root || a.startsWith(prefix) || (a.length > 1 && prefix.startsWith(`${a}/`));
}

/** Whether the process was pointed at the tree: its command line names it (the usual way a tool is told where to work). */
export function aimedAt(procRoot: string, pid: number, root: string): boolean {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const cmdline = readSync(path.join(procRoot, String(pid), 'cmdline')) ?? '';
  return cmdline.split('\0').some((arg) => namesTree(arg, root, prefix));
}

/** Whether `pid` has a file open (or its working directory) under the tree right now. */
function holdsUnder(procRoot: string, pid: number, root: string, prefix: string): boolean {
  const cwd = link(path.join(procRoot, String(pid), 'cwd'));
  if (cwd === root || cwd.startsWith(prefix)) return true;
  const dir = path.join(procRoot, String(pid), 'fd');
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return false;
  }
  for (const fd of fds) if (link(path.join(dir, fd)).startsWith(prefix)) return true;
  return false;
}

/** Processes holding a file open under `root` (or with their working directory there). */
export async function openersUnder(root: string, procRoot = '/proc'): Promise<number[]> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return pids(procRoot).filter((pid) => holdsUnder(procRoot, pid, root, prefix));
}

/**
 * Watch a few suspects' open files for up to `ms`: the first seen holding a file under
 * `root` is confirmed. A writer that opens, writes and closes a file every few ms is caught
 * within a few hundred polls; a process that merely wrote a similar amount elsewhere never is.
 * Yields to the event loop between passes.
 */
export async function confirmHolder(
  suspects: readonly number[],
  root: string,
  ms: number,
  procRoot = '/proc',
): Promise<number | undefined> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const sliceEnd = Date.now() + 20;
    while (Date.now() < sliceEnd) {
      for (const pid of suspects) if (holdsUnder(procRoot, pid, root, prefix)) return pid;
    }
    await new Promise((r) => setImmediate(r));
  }
  return undefined;
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
 * Who is rewriting the tree. Only a process SEEN holding a file (or its working directory)
 * under the tree is ever named: freezing the wrong process on a busy host is worse than
 * freezing none. Suspects come from write counters:
 * processes whose output between the two samples is about what appeared in the tree
 * (`treeBytes`, factor 0.25..500, closest first); of up to eight of them, one whose command
 * line names the tree is taken, else they are watched for `confirmMs` until one is caught
 * with a file in the tree; failing that, one fd scan of every
 * process names whoever holds a file there. Leuko and its parent are excluded.
 */
export async function findWriter(opts: {
  root: string;
  before: WriteSample;
  after: WriteSample;
  treeBytes: number;
  exclude: ReadonlySet<number>;
  /** Already started, to overlap the slow fd scan with the wait between samples. */
  openers?: Promise<number[]>;
  confirmMs?: number;
  procRoot?: string;
}): Promise<Writer | undefined> {
  // A pid reused between the samples shows a shrinking counter: then only its new count counts.
  const delta = (pid: number) => {
    const a = opts.after.get(pid);
    const b = opts.before.get(pid);
    if (!a) return 0;
    return b && b.wchar <= a.wchar ? a.wchar - b.wchar : a.wchar;
  };
  let bestPid: number | undefined;
  let bestWrote = -1;
  let how = '';
  if (bestPid === undefined) {
    const want = Math.max(1024, opts.treeBytes);
    const suspects = [...opts.after.keys()]
      .filter((pid) => !opts.exclude.has(pid))
      .map((pid) => ({ pid, w: delta(pid) }))
      .filter((x) => x.w >= want * 0.25 && x.w <= want * 500)
      .sort((a, b) => Math.abs(Math.log(a.w / want)) - Math.abs(Math.log(b.w / want)))
      .slice(0, 8);
    // A suspect whose command line names the tree is confirmed at once; else watch their fds.
    const procRoot = opts.procRoot ?? '/proc';
    const aimed = suspects.find((x) => aimedAt(procRoot, x.pid, opts.root));
    const caught = aimed
      ? undefined
      : await confirmHolder(
          suspects.map((x) => x.pid),
          opts.root,
          opts.confirmMs ?? 600,
          procRoot,
        );
    const hit = aimed ?? suspects.find((x) => x.pid === caught);
    if (hit) {
      bestPid = hit.pid;
      bestWrote = hit.w;
      how = `wrote ${hit.w} bytes while ${opts.treeBytes} bytes of encrypted content appeared, and ${aimed ? `its command line names ${opts.root}` : `was caught with a file open under ${opts.root}`}`;
    }
  }
  if (bestPid === undefined) {
    // Nothing wrote like the tree did (a rename-only burst): whoever holds a file there.
    for (const pid of (await (opts.openers ?? openersUnder(opts.root, opts.procRoot))).filter(
      (p) => !opts.exclude.has(p),
    )) {
      const w = delta(pid);
      if (w > bestWrote) {
        bestPid = pid;
        bestWrote = w;
        how = `had a file open (or its working directory) under ${opts.root}`;
      }
    }
  }
  if (bestPid === undefined) return undefined;
  const st = await readStatFields(opts.procRoot ?? '/proc', bestPid);
  return st
    ? { pid: bestPid, startTicks: st.startTicks, comm: st.comm, wrote: Math.max(0, bestWrote), how }
    : undefined;
}
