import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import type { LineParser, SettledLine } from '../../core/parser.js';
import { createParser } from '../index.js';
import { opensNginxRecord } from './nginx-records.js';

const auth = (cid: number, client: string) =>
  `2026/12/08 00:07:${String(cid % 60).padStart(2, '0')} [error] 4242#4242: *${cid} user "admin": password mismatch, client: ${client}, server: a, request: "GET /admin/ HTTP/1.1", host: "a"`;

/** Lines through the parser and its gate, as the pipeline sends them; what comes out, in order. */
function through(parse: LineParser, lines: readonly string[]): SettledLine[] {
  const gate = parse.records!;
  const out: SettledLine[] = [];
  let end = 0;
  for (const line of lines) {
    end += Buffer.byteLength(line) + 1;
    gate.admit(line, parse(line), end);
    for (let s = gate.next(); s !== undefined; s = gate.next()) out.push(s);
  }
  gate.settle();
  for (let s = gate.next(); s !== undefined; s = gate.next()) out.push(s);
  return out;
}

describe('nginx error records', () => {
  it('knows nginx’s record head', () => {
    expect(opensNginxRecord(auth(1, '192.0.2.1'))).toBe(true);
    expect(opensNginxRecord('2026/12/08 00" was not found in "/etc/nginx/.htpasswd", client: 192.0.2.1')).toBe(false);
    expect(opensNginxRecord('Dec  8 00:07:21 web nginx: 2026/12/08 00:07:21 [error] 1#1: x')).toBe(false);
  });

  it('leaves lines without nginx’s context alone: comments, start-up warnings, blank lines', () => {
    const lines = [
      '# failJSON: { "time": "2026-12-08T00:07:01", "match": true , "host": "192.0.2.1" }',
      auth(1, '192.0.2.1'),
      'nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges',
      '',
      auth(2, '192.0.2.2'),
    ];
    const out = through(createParser('nginx-error', { clock: systemClock }), lines);
    expect(out.map((s) => s.dropped)).toEqual([false, false, false, false, false]);
    expect(out.map((s) => s.parsed?.event['source.ip'])).toEqual([
      undefined,
      '192.0.2.1',
      undefined,
      undefined,
      '192.0.2.2',
    ]);
  });

  it('drops a record split by a line break in the path and reads its sender from nginx’s end of it', () => {
    // 16 records of 150 bytes and more: the first is out of the split record's reach (2048 bytes).
    const filler = Array.from({ length: 16 }, (_, i) => auth(10 + i, '192.0.2.3'));
    const lines = [
      auth(1, '192.0.2.1'),
      ...filler,
      '2026/12/08 00:07:22 [error] 4242#4242: *3 open() "/var/www/x',
      auth(90, '203.0.113.9'),
      'z" failed (2: No such file or directory), client: 198.51.100.7, server: a, request: "GET /x%0A2026...%0Az HTTP/1.1", host: "a"',
    ];
    for (const format of ['nginx-error', 'auto'] as const) {
      const out = through(createParser(format, { clock: systemClock }), lines);
      const split = out.slice(17);
      expect(out[0]!.dropped).toBe(false);
      expect(split.map((s) => s.dropped)).toEqual([true, true, format === 'auto']);
      if (format === 'nginx-error') {
        expect(split[2]!.parsed?.event).toMatchObject({
          'source.ip': '198.51.100.7',
          'event.action': 'split_record',
          'url.path': '/x%0A2026...%0Az',
        });
        // The finding's time is a record nginx opened (this one or an older one), never the
        // forged record's (00:07:30).
        expect(split[2]!.parsed!.time).toBeLessThanOrEqual(Date.parse('2026-12-08T00:07:22'));
      }
    }
  });

  it('reads a basic-auth failure nginx cut inside a long referrer as its sender’s', () => {
    // The user name cannot hold a colon, so the first context is nginx's; the fake one in the
    // referrer fits the grammar only because the cut took the referrer's closing quote.
    const head = `2026/12/08 00:07:21 [error] 4242#4242: *3 user "admin": password mismatch, client: 198.51.100.7, server: a, request: "GET /admin/ HTTP/1.1", host: "a", referrer: "x": password mismatch, client: 203.0.113.9, server: `;
    const cut = head + 'b'.repeat(2047 - head.length);
    for (const format of ['nginx-error', 'auto'] as const) {
      const out = through(createParser(format, { clock: systemClock }), [cut]);
      expect(out.map((s) => [s.dropped, s.parsed?.event['source.ip'], s.parsed?.event['user.name']])).toEqual([
        [false, '198.51.100.7', 'admin'],
      ]);
    }
    // The same record sent through syslog: nginx's limit counts the datagram's header too.
    const viaSyslog = `Dec  8 00:07:21 web nginx: ${head.slice(0, 2047 - 60)}${'b'.repeat(2047 - 60 - head.length)}`;
    for (const format of ['syslog', 'auto'] as const) {
      const ev = createParser(format, { clock: systemClock })(viaSyslog)?.event;
      expect([ev?.['source.ip'], ev?.['user.name']], format).toEqual(['198.51.100.7', 'admin']);
    }
    // A cut record whose message can hold client text (a path) names nobody: dropped.
    const path = `2026/12/08 00:07:21 [error] 4242#4242: *4 open() "/srv/www/x, client: 203.0.113.9, server: `;
    const out = through(createParser('nginx-error', { clock: systemClock }), [path + 'b'.repeat(2047 - path.length)]);
    expect(out.map((s) => s.dropped)).toEqual([true]);
  });

  it('keeps held lines across a restart, through the parser’s snapshot', () => {
    const a = createParser('nginx-error', { clock: systemClock });
    const first = '2026/12/08 00:07:22 [error] 4242#4242: *3 open() "/var/www/x';
    a.records!.admit(first, a(first), first.length + 1);
    const forged = auth(90, '203.0.113.9');
    a.records!.admit(forged, a(forged), first.length + forged.length + 2);
    expect(a.records!.next()).toBeUndefined();
    const b = createParser('nginx-error', { clock: systemClock });
    b.restore!(a.snapshot!()!);
    const tail =
      'z" failed (2: No such file or directory), client: 198.51.100.7, server: a, request: "GET /x HTTP/1.1"';
    b.records!.admit(tail, b(tail), first.length + forged.length + tail.length + 3);
    b.records!.settle();
    const out: SettledLine[] = [];
    for (let s = b.records!.next(); s !== undefined; s = b.records!.next()) out.push(s);
    expect(out.map((s) => [s.line.slice(0, 12), s.dropped])).toEqual([
      [first.slice(0, 12), true],
      [forged.slice(0, 12), true],
      [tail.slice(0, 12), false],
    ]);
  });
});
