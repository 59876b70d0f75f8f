import { describe, expect, it } from 'vitest';
import { type Failure, parseRow, simulateJail } from './fail2ban.js';

const jail = { filter: 'sshd', maxretry: 5, findtime: 600, bantime: 600 };
const at = (ip: string, ...times: number[]): Failure[] => times.map((time) => ({ ip, time }));

describe('parseRow', () => {
  it('reads the address and time of a fail2ban-regex -o row line', () => {
    expect(parseRow("['198.51.100.7',\t1770905421.0,\t{'mlfid': ' web-01 sshd[123]: ', 'user': 'admin'}],")).toEqual({
      ip: '198.51.100.7',
      time: 1770905421,
    });
    expect(parseRow("['2a01:4f8::1',\t1795132809,\t{'ip4': None}],")).toEqual({ ip: '2a01:4f8::1', time: 1795132809 });
    expect(parseRow('Lines: 200000 lines, 0 ignored')).toBeUndefined();
  });
});

describe('simulateJail', () => {
  it('bans at the fifth failure inside findtime', () => {
    expect(simulateJail(at('a', 0, 10, 20, 30), jail)).toEqual([]);
    expect(simulateJail(at('a', 0, 10, 20, 30, 40), jail)).toEqual([{ ip: 'a', time: 40 }]);
  });

  it('forgets an address idle for findtime', () => {
    expect(simulateJail(at('a', 0, 10, 20, 30, 700, 710, 720, 730), jail)).toEqual([]);
  });

  it('scales the count by rate when failures span more than findtime (FailTicket.adjustTime)', () => {
    // One failure every 200 s: the rate estimate never reaches 5 per 600 s.
    expect(simulateJail(at('a', ...Array.from({ length: 50 }, (_, i) => i * 200)), jail)).toEqual([]);
    // One every 100 s: 6 per 600 s, banned.
    expect(simulateJail(at('a', ...Array.from({ length: 10 }, (_, i) => i * 100)), jail)).toHaveLength(1);
  });

  it('ignores failures while banned and bans again after bantime', () => {
    const times = [0, 1, 2, 3, 4, 100, 200, 300, 700, 701, 702, 703, 704];
    expect(simulateJail(at('a', ...times), jail)).toEqual([
      { ip: 'a', time: 4 },
      { ip: 'a', time: 704 },
    ]);
  });

  it('counts addresses separately', () => {
    const mixed = [...at('a', 0, 2, 4, 6), ...at('b', 1, 3, 5, 7, 9)].sort((x, y) => x.time - y.time);
    expect(simulateJail(mixed, jail)).toEqual([{ ip: 'b', time: 9 }]);
  });
});
