import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect, type Socket } from 'node:net';

export interface SinkStats {
  sent: number;
  dropped: number;
  errors: number;
}

export interface LineSink {
  readonly stats: SinkStats;
  send(messages: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** `udp://host:port` or `tcp://host:port`. */
export function parseTarget(target: string): { proto: 'udp' | 'tcp'; host: string; port: number } {
  const m = /^(udp|tcp):\/\/(?:\[([^\]]+)\]|([^:/]+)):(\d{1,5})$/.exec(target);
  if (!m) throw new Error(`not a syslog target: ${target} (write udp://HOST:PORT or tcp://HOST:PORT)`);
  return { proto: m[1] as 'udp' | 'tcp', host: m[2] ?? m[3] ?? '', port: Number(m[4]) };
}

/** Largest UDP datagram we send; longer messages are truncated (RFC 5424 allows 480+ octets). */
const MAX_UDP = 8192;
const MAX_QUEUE = 10_000;

/**
 * Sends syslog messages to a collector. UDP: one datagram per message. TCP: octet-counted
 * framing (RFC 6587 `LEN SP MSG`), so a message may hold any byte; the connection is reopened
 * after a failure with backoff, and at most MAX_QUEUE messages wait (the oldest are dropped and
 * counted: a dead collector must not grow the daemon's memory).
 */
export function createSyslogSink(target: string): LineSink {
  const t = parseTarget(target);
  const stats: SinkStats = { sent: 0, dropped: 0, errors: 0 };
  if (t.proto === 'udp') {
    let socket: UdpSocket | undefined;
    const sock = () => {
      if (!socket) {
        socket = createSocket(isIPv6(t.host) ? 'udp6' : 'udp4');
        socket.on('error', () => stats.errors++);
        socket.unref();
      }
      return socket;
    };
    return {
      stats,
      async send(messages) {
        for (const m of messages) {
          const buf = Buffer.from(m, 'utf8').subarray(0, MAX_UDP);
          await new Promise<void>((resolve) =>
            sock().send(buf, t.port, t.host, (err) => {
              if (err) stats.errors++;
              else stats.sent++;
              resolve();
            }),
          );
        }
      },
      async close() {
        socket?.close();
        socket = undefined;
      },
    };
  }

  let socket: Socket | undefined;
  let connecting: Promise<Socket> | undefined;
  let retryAt = 0;
  const queue: string[] = [];
  const open = () =>
    (connecting ??= new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: t.host, port: t.port });
      s.setNoDelay(true);
      s.once('connect', () => {
        socket = s;
        connecting = undefined;
        resolve(s);
      });
      s.once('error', (err) => {
        stats.errors++;
        connecting = undefined;
        socket = undefined;
        retryAt = Date.now() + 2000;
        s.destroy();
        reject(err);
      });
      s.once('close', () => {
        if (socket === s) socket = undefined;
      });
    }));
  const frame = (m: string) => {
    const body = Buffer.from(m, 'utf8');
    return Buffer.concat([Buffer.from(`${body.length} `), body]);
  };
  return {
    stats,
    async send(messages) {
      queue.push(...messages);
      if (queue.length > MAX_QUEUE) stats.dropped += queue.splice(0, queue.length - MAX_QUEUE).length;
      if (Date.now() < retryAt) return;
      let s: Socket;
      try {
        s = socket ?? (await open());
      } catch {
        return;
      }
      const batch = queue.splice(0, queue.length);
      await new Promise<void>((resolve) =>
        s.write(Buffer.concat(batch.map(frame)), (err) => {
          if (err) {
            stats.errors++;
            queue.unshift(...batch);
          } else stats.sent += batch.length;
          resolve();
        }),
      );
    },
    async close() {
      await new Promise<void>((resolve) => (socket ? socket.end(resolve) : resolve()));
      socket = undefined;
    },
  };
}
