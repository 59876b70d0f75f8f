import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/** Endlessh through syslog, one trapped connection at `s` seconds past 16:00. */
const accept = (s: number, ip: string) =>
  `2023-08-17T16:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.689651+02:00 mono endlessh[34256]: ACCEPT host=::ffff:${ip} port=${40000 + s} fd=5 n=1/4096`;
/** Endlessh's own output (`endlessh -v >> endlessh.log`). */
const own = (s: number, ip: string) =>
  `2022-02-13T10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.813Z ACCEPT host=${ip} port=39590 fd=4 n=1/4096`;

describe('leuko/ssh-tarpit', () => {
  it('fires on an address that keeps connecting to the tarpit, through syslog or its own log', () => {
    expect(fired('leuko/ssh-tarpit', parsed(times(6, (i) => accept(i * 20, '124.222.66.99'))))).toEqual([
      '124.222.66.99',
    ]);
    expect(fired('leuko/ssh-tarpit', parsed(times(6, (i) => own(i * 30, '49.88.112.72'))))).toEqual(['49.88.112.72']);
  });
  it('stays quiet for a few connections, or connections spread over hours', () => {
    expect(fired('leuko/ssh-tarpit', parsed(times(3, (i) => accept(i, '192.0.2.10'))))).toEqual([]);
    const slow = parsed(times(8, (i) => own(i * 2, '192.0.2.11')).map((l, i) => l.replace('T10:', `T${10 + i}:`)));
    expect(fired('leuko/ssh-tarpit', slow)).toEqual([]);
  });
});
