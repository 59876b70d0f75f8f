import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LeukoError } from '../core/errors.js';
import { sha256 } from './fs-entry.js';

/**
 * Content-addressed snapshot store: one gzip file per distinct content, named by the sha256
 * of the uncompressed bytes (`blobs/ab/abcdef…`), so identical files are kept once. A blob is
 * written to a temp name and renamed: a crash never leaves a truncated blob under its hash.
 */
export interface BlobStore {
  has(sha: string): Promise<boolean>;
  /** Store content; returns its sha256. Throws (details.reason `snapshot-budget`) when over the size budget. */
  put(content: Buffer): Promise<string>;
  /** The content, checked against its hash (a corrupted snapshot must never be restored). */
  get(sha: string): Promise<Buffer>;
  /** Compressed bytes in the store. */
  size(): Promise<number>;
}

export function createBlobStore(dir: string, maxBytes: number): BlobStore {
  const blobPath = (sha: string) => path.join(dir, sha.slice(0, 2), sha);
  let total: number | undefined;
  async function measure(): Promise<number> {
    if (total !== undefined) return total;
    let sum = 0;
    for (const sub of await fs.readdir(dir).catch(() => [] as string[])) {
      for (const f of await fs.readdir(path.join(dir, sub)).catch(() => [] as string[])) {
        const st = await fs.stat(path.join(dir, sub, f)).catch(() => undefined);
        if (st) sum += st.size;
      }
    }
    total = sum;
    return sum;
  }
  return {
    async has(sha) {
      return fs.access(blobPath(sha)).then(
        () => true,
        () => false,
      );
    },
    async put(content) {
      const sha = sha256(content);
      const file = blobPath(sha);
      if (await this.has(sha)) return sha;
      const packed = gzipSync(content, { level: 6 });
      const used = await measure();
      if (used + packed.length > maxBytes) {
        throw new LeukoError(
          'STORE_FAILED',
          `snapshot store over budget: ${used + packed.length} bytes needed, protect.max_snapshot_size is ${maxBytes}; raise it or exclude large paths`,
          { details: { reason: 'snapshot-budget', used, needed: packed.length, max: maxBytes } },
        );
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      await fs.writeFile(tmp, packed, { mode: 0o600 });
      await fs.rename(tmp, file);
      total = used + packed.length;
      return sha;
    },
    async get(sha) {
      const content = gunzipSync(await fs.readFile(blobPath(sha)));
      if (sha256(content) !== sha)
        throw new LeukoError('STORE_FAILED', `snapshot ${sha} is corrupted`, {
          details: { reason: 'snapshot-corrupt' },
        });
      return content;
    },
    size: measure,
  };
}
