import { describe, expect, it } from 'vitest';
import { parseNetTcp } from './net-tcp.js';
import { parseBootTime, parseCmdline, parseStat, parseStatusUids } from './parse-stat.js';

describe('parseStat', () => {
  it('reads the fields after the last parenthesis, whatever comm contains', () => {
    const line = '4242 (evil) S 1 (x) T 1 4242 4242 0 -1 4194560 96 0 0 0 0 0 0 0 20 0 1 0 394717 2301952 0\n';
    expect(parseStat(line)).toEqual({
      pid: 4242,
      comm: 'evil) S 1 (x',
      state: 'T',
      ppid: 1,
      pgrp: 4242,
      session: 4242,
      flags: 4194560,
      startTicks: 394717,
    });
  });

  it('returns undefined for garbage instead of throwing', () => {
    for (const bad of ['', 'nonsense', '12 (x)', '(x) S 1 2 3', 'abc (x) S 1 1 1 0 -1 0']) {
      expect(parseStat(bad)).toBeUndefined();
    }
  });

  it('reads real and effective uid, argv and boot time', () => {
    expect(parseStatusUids('Name:\tsu\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n')).toEqual({ uid: 1000, euid: 0 });
    expect(parseStatusUids('Name:\tx\n')).toBeUndefined();
    expect(parseCmdline('sleep\x0060\x00')).toEqual(['sleep', '60']);
    expect(parseCmdline('')).toEqual([]);
    expect(parseBootTime('cpu  1 2 3\nbtime 1700000000\nprocesses 5\n')).toBe(1700000000);
  });
});

describe('parseNetTcp', () => {
  it('decodes little-endian IPv4 and IPv6 addresses and big-endian ports', () => {
    const v4 = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0 100 0 0 10 0',
      '   1: 0F02000A:C350 0A01A8C0:0016 01 00000000:00000000 00:00000000 00000000  1000        0 31338 1 0 20 4 30 10 -1',
      '   2: garbage',
    ].join('\n');
    expect(parseNetTcp(v4, 4)).toEqual([
      { family: 4, address: '127.0.0.1', port: 22, state: '0A', listening: true, uid: 0, inode: '31337' },
      { family: 4, address: '10.0.2.15', port: 50000, state: '01', listening: false, uid: 1000, inode: '31338' },
    ]);
    const v6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 999 1 0',
      '   1: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 998 1 0',
      '   2: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 997 1 0',
    ].join('\n');
    expect(parseNetTcp(v6, 6).map((s) => `${s.address}|${s.port}`)).toEqual(['::1|22', '::|8080', '2001:db8::1|80']);
  });
});
