import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSource, runSource, waitFor } from '../testing/run-source.js';
import { createSyslogSource, type SyslogSourceOptions } from './index.js';

const running: RunningSource[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

function start(opts: Partial<SyslogSourceOptions>, onBatch?: () => Promise<void>) {
  const source = createSyslogSource({ id: 'net', ...opts });
  const r = runSource(source, onBatch ? { onBatch } : {});
  running.push(r);
  return { source, r };
}

async function sendUdp(port: number, messages: (string | Buffer)[]): Promise<void> {
  const s = createSocket('udp4');
  for (const m of messages) {
    await new Promise<void>((res, rej) => s.send(m, port, '127.0.0.1', (err) => (err ? rej(err) : res())));
  }
  s.close();
}

async function tcpClient(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  sockets.push(s);
  await new Promise<void>((res, rej) => {
    s.once('connect', res);
    s.once('error', rej);
  });
  return s;
}

describe('syslog source', () => {
  it('UDP: one datagram is one message, trailer stripped, <PRI> kept, newlines escaped', async () => {
    const { source, r } = start({ udp: { port: 0 } });
    const { udp } = await source.addresses();
    await sendUdp(udp!.port, [
      '<38>Jan  5 10:00:00 host sshd[42]: Accepted password for root\n',
      '<13>Jan  5 10:00:01 host app: two\nlines\r\n',
      Buffer.from([0x3c, 0x31, 0x3e, 0x62, 0xff]),
    ]);
    await waitFor(() => r.lines().length >= 3, 'three messages');
    expect(r.lines()).toEqual([
      '<38>Jan  5 10:00:00 host sshd[42]: Accepted password for root',
      '<13>Jan  5 10:00:01 host app: two#012lines',
      '<1>b\uFFFD',
    ]);
    expect(source.stats.invalidUtf8).toBe(1);
    expect(r.batches.every((b) => b.sourceId === 'net' && b.checkpoint === undefined)).toBe(true);
  });

  it('TCP: both framings, split anywhere, several connections', async () => {
    const { source, r } = start({ tcp: { port: 0 }, maxMessageBytes: 100 });
    const { tcp } = await source.addresses();
    const a = await tcpClient(tcp!.port);
    const b = await tcpClient(tcp!.port);
    const m = '<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 - fail';
    a.write(`${m.length} ${m.slice(0, 10)}`);
    b.write('<13>from b\n');
    await waitFor(() => r.lines().length >= 1, 'message from b');
    a.write(`${m.slice(10)}<13>lf framed\n`);
    a.write(`150 ${'x'.repeat(150)}<13>after too long\n`);
    await waitFor(() => r.lines().length >= 4, 'messages from a');
    expect(r.lines()).toEqual(['<13>from b', m, '<13>lf framed', '<13>after too long']);
    expect(source.stats.linesTooLong).toBe(1);
  });

  it('TCP back-pressure: a slow pipeline pauses the sender instead of dropping', async () => {
    let release: () => void = () => undefined;
    let gate: Promise<void> | null = new Promise<void>((res) => (release = res));
    const { source, r } = start({ tcp: { port: 0 }, maxQueued: 1000, batchLines: 500 }, async () => {
      if (gate) await gate;
    });
    const { tcp } = await source.addresses();
    const s = await tcpClient(tcp!.port);
    // ~20 MB: far more than the socket buffers hold, so the sender must end up blocked.
    const sent = Array.from({ length: 200_000 }, (_, i) => `<13>message number ${i} ${'p'.repeat(70)}`);
    s.write(sent.map((x) => `${x}\n`).join(''));
    await waitFor(() => r.batches.length >= 1, 'first batch');
    // Let the receiver take all it will while the pipeline is stuck, then check it stopped
    // near the queue bound instead of swallowing the 20 MB.
    let last = -1;
    let stable = 0;
    await waitFor(() => {
      stable = source.stats.bytesRead === last ? stable + 1 : 0;
      last = source.stats.bytesRead;
      return stable >= 20;
    }, 'reading to stop');
    expect(source.stats.bytesRead).toBeLessThan(2_000_000);
    expect(s.writableLength).toBeGreaterThan(0);
    gate = null;
    release();
    await waitFor(() => r.lines().length >= sent.length, 'all messages', 60_000);
    expect(r.lines()).toEqual(sent);
    expect(source.stats.errors).toBe(0);
  });

  it('UDP flood into a full queue: drops are counted, memory stays bounded', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((res) => (release = res));
    const { source, r } = start({ udp: { port: 0 }, maxQueued: 5, batchLines: 1 }, () => gate);
    const { udp } = await source.addresses();
    await sendUdp(
      udp!.port,
      Array.from({ length: 30 }, (_, i) => `<13>m${i}`),
    );
    await waitFor(() => source.stats.errors > 0, 'drops');
    release();
    await waitFor(() => r.lines().length >= 6, 'queued messages');
    expect(r.warnings.map((w) => w.message)).toContain('syslog queue full: dropping UDP messages');
  });

  it('refuses connections past maxConnections and keeps serving the others', async () => {
    const { source, r } = start({ tcp: { port: 0 }, maxConnections: 1 });
    const { tcp } = await source.addresses();
    const first = await tcpClient(tcp!.port);
    const second = connect(tcp!.port, '127.0.0.1');
    sockets.push(second);
    second.on('error', () => undefined);
    await new Promise((res) => second.once('close', res));
    first.write('<13>still here\n');
    await waitFor(() => r.lines().length >= 1, 'message');
    expect(r.lines()).toEqual(['<13>still here']);
    expect(source.stats.errors).toBe(1);
  });

  it('a port already in use is a SOURCE_FAILED error from run() and addresses()', async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const port = (blocker.address() as { port: number }).port;
    const source = createSyslogSource({ id: 'net', tcp: { port } });
    const run = source.run(async () => undefined, { signal: new AbortController().signal, warn: () => undefined });
    await expect(run).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
    await expect(source.addresses()).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
    blocker.close();
  });

  it('rejects a configuration without a listener', () => {
    expect(() => createSyslogSource({ id: 'x' })).toThrow(/udp, tcp or both/);
  });
});
