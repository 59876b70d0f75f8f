import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fsyncDir } from './atomic-write.js';
import type { FsEntry } from './fs-entry.js';

/** What is kept beside a quarantined file: where it came from and why, as evidence. */
export interface QuarantineRecord {
  readonly id: string;
  readonly path: string;
  /** Wall-clock ms. */
  readonly at: number;
  readonly reason: string;
  readonly decisionId?: string;
  readonly entry: FsEntry;
  /** `restored` once `leuko quarantine restore` put it back. */
  readonly restoredAt?: number;
}

/**
 * The quarantine (`heal/quarantine/<id>/{content,meta.json}`): a tampered or unexpected file
 * is kept, unreadable to others and never executable, with its metadata. Modified files are
 * copied (their path is then atomically replaced from the snapshot); new files are moved.
 */
export interface Quarantine {
  /** Copy (keep: the caller replaces the path) or move (the path disappears) a file in. */
  add(
    p: string,
    entry: FsEntry,
    how: 'copy' | 'move',
    why: { reason: string; decisionId?: string; at: number },
  ): Promise<QuarantineRecord>;
  list(): Promise<QuarantineRecord[]>;
  get(id: string): Promise<QuarantineRecord | undefined>;
  contentPath(id: string): string;
  markRestored(id: string, at: number): Promise<void>;
}

export function createQuarantine(dir: string): Quarantine {
  const metaPath = (id: string) => path.join(dir, id, 'meta.json');
  return {
    async add(p, entry, how, why) {
      const id = `q_${why.at.toString(16)}_${randomBytes(4).toString('hex')}`;
      const qdir = path.join(dir, id);
      await fs.mkdir(qdir, { recursive: true, mode: 0o700 });
      const content = path.join(qdir, 'content');
      if (entry.type === 'symlink') {
        await fs.writeFile(content, entry.target ?? '', { mode: 0o400 });
        if (how === 'move') await fs.unlink(p).catch(() => undefined);
      } else if (entry.type === 'dir') {
        // A new directory: move it whole (its files are evidence too).
        await moveInto(p, content);
      } else if (how === 'move') {
        await moveInto(p, content);
        await fs.chmod(content, 0o400).catch(() => undefined);
      } else {
        await fs.copyFile(p, content);
        await fs.chmod(content, 0o400);
      }
      const record: QuarantineRecord = {
        id,
        path: p,
        at: why.at,
        reason: why.reason,
        ...(why.decisionId === undefined ? {} : { decisionId: why.decisionId }),
        entry,
      };
      await fs.writeFile(metaPath(id), JSON.stringify(record), { mode: 0o600 });
      await fsyncDir(qdir);
      return record;
    },
    async list() {
      const out: QuarantineRecord[] = [];
      for (const id of (await fs.readdir(dir).catch(() => [] as string[])).sort()) {
        const r = await this.get(id);
        if (r) out.push(r);
      }
      return out;
    },
    async get(id) {
      if (!/^q_[0-9a-f]+_[0-9a-f]+$/.test(id)) return undefined;
      try {
        return JSON.parse(await fs.readFile(metaPath(id), 'utf8')) as QuarantineRecord;
      } catch {
        return undefined;
      }
    },
    contentPath: (id) => path.join(dir, id, 'content'),
    async markRestored(id, at) {
      const r = await this.get(id);
      if (r) await fs.writeFile(metaPath(id), JSON.stringify({ ...r, restoredAt: at }), { mode: 0o600 });
    },
  };
}

/** rename when on the same filesystem; otherwise copy then unlink (the copy is complete first). */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.cp(from, to, { recursive: true, preserveTimestamps: true });
    await fs.rm(from, { recursive: true, force: true });
  }
}
