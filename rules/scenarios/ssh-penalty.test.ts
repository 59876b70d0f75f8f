import { describe, expect, it } from 'vitest';
import { fired, parsed } from './test-kit.js';

/** The sshd listener's drop of a connection at second `s`. */
const drop = (s: number, ip: string, reason: string) =>
  `Dec  4 10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} web1 sshd[812]: drop connection #${s % 10} from [${ip}]:${40000 + s} on [198.51.100.1]:22 ${reason}`;

describe('leuko/ssh-penalized-retry', () => {
  it('fires on an address dropped six times in a few minutes while penalised', () => {
    const lines = [0, 20, 40, 60, 80, 100].map((s) => drop(s, '192.0.2.30', 'penalty: failed authentication'));
    expect(fired('leuko/ssh-penalized-retry', parsed(lines))).toEqual(['192.0.2.30']);
  });

  it('ignores a client dropped a few times, spaced drops, and MaxStartups drops during a flood', () => {
    const few = [0, 10, 20].map((s) => drop(s, '192.0.2.31', 'penalty: failed authentication'));
    const spaced = [0, 120, 240, 360, 480, 600].map((s) => drop(s, '192.0.2.32', 'penalty: exceeded LoginGraceTime'));
    const flood = [0, 1, 2, 3, 4, 5, 6, 7].map((s) => drop(s, '192.0.2.33', 'past Maxstartups'));
    expect(fired('leuko/ssh-penalized-retry', parsed([...few, ...spaced, ...flood]))).toEqual([]);
  });
});
