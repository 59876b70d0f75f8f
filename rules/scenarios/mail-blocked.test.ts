import { describe, expect, it } from 'vitest';
import { builtins, fired, parsed, run } from './test-kit.js';

const NAME = 'leuko/mail-blocked';
const blocked = (peer: string, client: string | undefined, from: string, verdict = 'INFECTED (Eicar-Signature)') =>
  `Mar  2 08:00:00 mx1 amavis[4051]: (04051-09) Blocked ${verdict} {DiscardedInbound,Quarantined}, [${peer}]:41434${client === undefined ? '' : ` [${client}]`} <${from}> -> <postmaster@example.org>, quarantine: virus-26W2lJY63nCZ, Queue-ID: 83B741009CD35, mail_id: 26W2lJY63nCZ, Hits: -, size: 28646, 104 ms`;

describe('leuko/mail-blocked', () => {
  it('alerts on the host that sent the blocked mail to the MTA (XFORWARD), not the MTA itself', () => {
    const d = run(NAME, parsed([blocked('127.0.0.1', '203.0.113.80', 'x@example.net')]));
    expect(d.map((x) => x.entity.value)).toEqual(['203.0.113.80']);
    expect(d[0]!.explanation).toContain('INFECTED (Eicar-Signature)');
  });
  it('falls back to the peer when the MTA passed no client, and ignores addresses in the sender', () => {
    expect(fired(NAME, parsed([blocked('198.51.100.81', undefined, '[192.0.2.1]@example.net', 'SPAM')]))).toEqual([
      '198.51.100.81',
    ]);
  });
  it('drops a verdict whose file names plant a second address run', () => {
    const planted = blocked(
      '127.0.0.1',
      '203.0.113.85',
      'x@example.net',
      'BANNED (multipart/mixed | application/zip,.zip,a) {DiscardedInbound}, [198.51.100.9]:1 [198.51.100.9] <b.zip | .exe,b.exe)',
    );
    expect(fired(NAME, parsed([blocked('127.0.0.1', '203.0.113.86', 'y@example.net', 'BANNED (.exe,a.exe)')]))).toEqual(
      ['203.0.113.86'],
    );
    expect(() => parsed([planted])).toThrow(/not parsed/);
  });
  it('asks for no ban on its own', () => {
    const [d] = run(NAME, parsed([blocked('127.0.0.1', '203.0.113.82', 'x@example.net')]));
    expect(d?.remediation).toBeUndefined();
    // A scenario that does ban carries its hint in the same place.
    expect(builtins.find((s) => s.name === 'leuko/http-shellshock')?.remediation?.action).toBe('ban');
  });
});
