/**
 * Test-only child process for the kill -9 test: tails a log with the file source and
 * "commits" each batch the way the pipeline's store does — the batch's lines and its
 * checkpoint in ONE write, then fsync — so that a SIGKILL at any instant leaves either the
 * whole record or a torn tail the parent discards.
 *
 * usage: node --import tsx commit-child.ts <log> <out>   (checkpoint in env LEUKO_CHECKPOINT)
 */
import { fsyncSync, openSync, writeSync } from 'node:fs';
import { createFileSource } from '../tail-source.js';

const [log, out] = process.argv.slice(2);
if (log === undefined || out === undefined) throw new Error('usage: commit-child <log> <out>');
const checkpoint = process.env['LEUKO_CHECKPOINT'];
const fd = openSync(out, 'a');
const source = createFileSource({
  id: 'kill9',
  path: log,
  startAt: 'beginning',
  pollIntervalMs: 5,
  rotationGraceMs: 50,
  batchLines: 1 + Math.floor(Math.random() * 20),
  chunkBytes: 4096,
});
await source.run(
  async (batch) => {
    const record = batch.lines.map((l) => `L ${l}\n`).join('') + `C ${batch.checkpoint}\n`;
    writeSync(fd, record);
    fsyncSync(fd);
  },
  {
    signal: new AbortController().signal,
    ...(checkpoint ? { checkpoint } : {}),
    warn: (message, details) => process.stderr.write(`warn: ${message} ${JSON.stringify(details)}\n`),
  },
);
