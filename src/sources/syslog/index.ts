import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { LeukoError } from '../../core/errors.js';
import { emptySourceStats, type Source } from '../../core/source.js';
import { decodeLine } from '../common/line-splitter.js';
import { escapeControlChars, trimTrailer } from '../../parsers/syslog/escape.js';
import { createMessageQueue } from './message-queue.js';
import { createTcpFramer } from './tcp-framer.js';

export interface SyslogListen {
  /** Default 127.0.0.1: listening on all interfaces is an explicit choice. */
  readonly host?: string;
  /** 0 picks a free port (tests); addresses() reports it. */
  readonly port: number;
}

export interface SyslogSourceOptions {
  readonly id: string;
  readonly udp?: SyslogListen;
  readonly tcp?: SyslogListen;
  /** Longer messages are counted in `linesTooLong` and dropped (default 64 KiB). */
  readonly maxMessageBytes?: number;
  /** Concurrent TCP connections at most (default 256); more are refused and counted in `errors`. */
  readonly maxConnections?: number;
  /** Messages waiting for the pipeline at most (default 20 000). */
  readonly maxQueued?: number;
  readonly batchLines?: number;
}

export interface SyslogAddresses {
  udp?: { port: number };
  tcp?: { port: number };
}

export type SyslogSource = Source & {
  /** The bound ports, once run() has bound them (rejects if binding failed). */
  addresses(): Promise<SyslogAddresses>;
};

/**
 * A syslog receiver: UDP (one datagram, one message) and TCP (RFC 6587 octet counting or LF
 * framing). Each message becomes one line, `<PRI>` kept, control characters escaped as
 * rsyslog does, for the syslog parser (RFC 3164 and 5424) to read.
 *
 * Back-pressure: TCP connections are paused while the queue is full, so senders slow down;
 * UDP cannot be paused, so datagrams arriving to a full queue are dropped and counted in
 * `errors` (bounded memory wins over completeness under a flood).
 *
 * A port that cannot be bound makes run() reject with `SOURCE_FAILED`; no checkpoint
 * (network input cannot be replayed).
 *
 * @example
 * const src = createSyslogSource({ id: 'net', udp: { port: 514 }, tcp: { port: 514 } });
 * void src.run(processBatch, { signal, warn });
 * console.log(await src.addresses());
 */
export function createSyslogSource(opts: SyslogSourceOptions): SyslogSource {
  if (opts.udp === undefined && opts.tcp === undefined) {
    throw new LeukoError('CONFIG_INVALID', `syslog source ${opts.id}: configure udp, tcp or both`);
  }
  for (const l of [opts.udp, opts.tcp]) {
    if (l !== undefined && (!Number.isInteger(l.port) || l.port < 0 || l.port > 65535)) {
      throw new LeukoError('CONFIG_INVALID', `syslog source ${opts.id}: bad port ${l.port}`);
    }
    if (l?.host !== undefined && isIP(l.host) === 0 && l.host !== 'localhost') {
      throw new LeukoError('CONFIG_INVALID', `syslog source ${opts.id}: host must be an IP address, got ${l.host}`);
    }
  }
  const stats = emptySourceStats();
  const maxMessageBytes = opts.maxMessageBytes ?? 64 * 1024;
  let resolveAddr: (a: SyslogAddresses) => void = () => undefined;
  let rejectAddr: (e: unknown) => void = () => undefined;
  const bound = new Promise<SyslogAddresses>((res, rej) => {
    resolveAddr = res;
    rejectAddr = rej;
  });
  bound.catch(() => undefined); // run() reports the failure; addresses() only if asked

  return {
    id: opts.id,
    stats,
    addresses: () => bound,
    async run(emit, ctx) {
      const sockets = new Set<Socket>();
      const queue = createMessageQueue({
        max: opts.maxQueued ?? 20_000,
        onFull: () => {
          for (const s of sockets) s.pause();
        },
        onRoom: () => {
          for (const s of sockets) s.resume();
        },
      });

      /** Decode, escape and queue one message (buf[start, end) without its trailer). */
      function push(buf: Buffer, start: number, end: number, mayExceed: boolean): boolean {
        const e = trimTrailer(buf, start, end);
        if (e - start > maxMessageBytes) {
          stats.linesTooLong++;
          return true;
        }
        stats.bytesRead += e - start;
        return queue.push(escapeControlChars(decodeLine(buf, start, e, stats)), mayExceed);
      }

      let udp: UdpSocket | undefined;
      let tcp: Server | undefined;
      let droppedWarned = false;
      try {
        const addrs: SyslogAddresses = {};
        if (opts.udp !== undefined) {
          const host = opts.udp.host ?? '127.0.0.1';
          udp = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
          udp.on('message', (msg) => {
            if (!push(msg, 0, msg.length, false)) {
              stats.errors++;
              if (!droppedWarned) {
                droppedWarned = true;
                ctx.warn('syslog queue full: dropping UDP messages', { sourceId: opts.id });
              }
            }
          });
          addrs.udp = { port: await bindUdp(udp, host, opts.udp.port) };
        }
        if (opts.tcp !== undefined) {
          const server = createServer((socket) => serveTcp(socket));
          tcp = server;
          server.maxConnections = opts.maxConnections ?? 256;
          server.on('drop', () => {
            stats.errors++;
            ctx.warn('syslog TCP connection refused: too many connections', { sourceId: opts.id });
          });
          addrs.tcp = { port: await listenTcp(server, opts.tcp.host ?? '127.0.0.1', opts.tcp.port) };
        }
        resolveAddr(addrs);
      } catch (err) {
        udp?.close();
        tcp?.close();
        const e = new LeukoError(
          'SOURCE_FAILED',
          `syslog source ${opts.id}: cannot listen: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
        stats.errors++;
        rejectAddr(e);
        throw e;
      }

      function serveTcp(socket: Socket): void {
        sockets.add(socket);
        if (queue.full) socket.pause();
        const framer = createTcpFramer({ maxMessageBytes, stats, onMessage: (b, s, e) => void push(b, s, e, true) });
        socket.on('data', (chunk) => framer.feed(chunk));
        socket.on('end', () => {
          framer.end();
          socket.end();
        });
        socket.on('error', () => undefined); // a reset by the peer is its business
        socket.on('close', () => sockets.delete(socket));
      }

      try {
        const batchLines = Math.max(1, opts.batchLines ?? 1000);
        while (!ctx.signal.aborted) {
          await queue.waitForItems(ctx.signal);
          const lines = queue.take(batchLines);
          if (lines.length === 0) continue;
          stats.linesRead += lines.length;
          await emit({ sourceId: opts.id, lines });
          droppedWarned = false;
        }
      } finally {
        udp?.close();
        for (const s of sockets) s.destroy();
        await new Promise<void>((res) => (tcp ? tcp.close(() => res()) : res()));
      }
    },
  };
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket.address().port);
    });
  });
}

function listenTcp(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : port);
    });
  });
}
