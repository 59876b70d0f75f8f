import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecord } from '../core/audit.js';
import type { AuditTail } from './audit-tail.js';

/** Stream event names: what a dashboard subscribes to. */
export function streamEventOf(r: AuditRecord): string | undefined {
  if (r.action === 'detection.raised') return 'detection';
  if (r.kind === 'incident') return 'incident';
  if (r.kind === 'decision') return 'decision';
  if (r.kind === 'action') return 'healing';
  if (r.kind === 'operator') return 'operator';
  return undefined;
}

/**
 * Server-sent events (no plugin: the protocol is lines on a kept-open response). Every event
 * carries its audit sequence number as `id`, so a reconnecting client sends Last-Event-ID and
 * misses nothing the tail still has. A slow client is dropped rather than buffered without
 * bound: the socket's write buffer is the only queue.
 */
export function serveStream(
  req: FastifyRequest,
  reply: FastifyReply,
  tail: AuditTail,
  /** Records after a sequence number (a reconnecting client's backlog, at most one page). */
  backlog: (afterSeq: number) => Promise<readonly AuditRecord[]>,
  heartbeatMs = 15_000,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\n: leuko stream after ${tail.lastSeq}\n\n`);
  const write = (text: string) => {
    if (res.writableLength > 4 * 1024 * 1024) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  const frames = (records: readonly AuditRecord[]) => {
    let out = '';
    for (const r of records) {
      const event = streamEventOf(r);
      if (!event) continue;
      // JSON has no raw newlines, so one `data:` line per event is a complete frame.
      out += `id: ${r.seq}\nevent: ${event}\ndata: ${JSON.stringify(r)}\n\n`;
    }
    return out;
  };
  // A reconnect (Last-Event-ID) first gets what it missed, up to where the live feed starts;
  // live records arriving meanwhile wait behind it, so order is kept and nothing is doubled.
  const startSeq = tail.lastSeq;
  const lastId = Number(req.headers['last-event-id']);
  let held: string[] | undefined = Number.isInteger(lastId) && lastId >= 0 && lastId < startSeq ? [] : undefined;
  const unsubscribe = tail.subscribe((records) => {
    const out = frames(records);
    if (!out) return;
    if (held) held.push(out);
    else write(out);
  });
  if (held) {
    backlog(lastId)
      .then((records) => write(frames(records.filter((r) => r.seq <= startSeq))))
      .catch(() => undefined)
      .finally(() => {
        for (const out of held ?? []) write(out);
        held = undefined;
      });
  }
  const beat = setInterval(() => write(': keep-alive\n\n'), heartbeatMs);
  beat.unref();
  const close = () => {
    clearInterval(beat);
    unsubscribe();
  };
  req.raw.on('close', close);
  res.on('close', close);
}
