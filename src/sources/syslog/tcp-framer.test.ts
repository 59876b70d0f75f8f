import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptySourceStats } from '../../core/source.js';
import { escapeControlChars } from '../../parsers/syslog/escape.js';
import { createTcpFramer } from './tcp-framer.js';

function frame(chunks: Buffer[], maxMessageBytes = 1000) {
  const stats = emptySourceStats();
  const out: string[] = [];
  const f = createTcpFramer({ maxMessageBytes, stats, onMessage: (b, s, e) => out.push(b.toString('utf8', s, e)) });
  for (const c of chunks) f.feed(c);
  f.end();
  return { out, stats };
}

describe('RFC 6587 TCP framing', () => {
  it('reads octet-counted and LF-framed messages, mixed on one connection', () => {
    const msg = '<34>1 2003-10-11T22:14:15.003Z host su - ID47 - it has\na newline';
    const input = `${Buffer.byteLength(msg)} ${msg}<13>Oct 11 22:14:15 host sshd[1]: plain\n\n17 <13>short message<14>last without LF`;
    expect(frame([Buffer.from(input)]).out).toEqual([
      msg,
      '<13>Oct 11 22:14:15 host sshd[1]: plain',
      '<13>short message',
      '<14>last without LF',
    ]);
  });

  it('treats leading digits without a following space as the start of a line', () => {
    expect(frame([Buffer.from('123abc\n4567890123 x\n')]).out).toEqual(['123abc', '4567890123 x']);
  });

  it('drops over-long messages of both framings without buffering them, and goes on', () => {
    const { out, stats } = frame(
      [
        Buffer.from(`60 ${'a'.repeat(30)}`),
        Buffer.from(`${'a'.repeat(30)}<1>ok\n${'b'.repeat(25)}`),
        Buffer.from('b'.repeat(25)),
        Buffer.from('\n5 <2>xy'),
      ],
      20,
    );
    expect(out).toEqual(['<1>ok', '<2>xy']);
    expect(stats.linesTooLong).toBe(2);
  });

  it('gives the same messages however the stream is cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.boolean(),
            fc.string({ minLength: 1, maxLength: 30 }).map((s) => `<1>${s.replace(/\n/g, ' ')}`),
          ),
          {
            maxLength: 20,
          },
        ),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
        (msgs, sizes) => {
          const wire = Buffer.from(
            msgs.map(([counted, m]) => (counted ? `${Buffer.byteLength(m)} ${m}` : `${m}\n`)).join(''),
          );
          const chunks: Buffer[] = [];
          for (let i = 0, k = 0; i < wire.length; k++) {
            const n = sizes[k % sizes.length]!;
            chunks.push(wire.subarray(i, i + n));
            i += n;
          }
          expect(frame(chunks, 1000).out).toEqual(msgs.map(([, m]) => m));
        },
      ),
    );
  });
});

describe('control characters', () => {
  it('are escaped as rsyslog does, so a sender cannot forge a second line', () => {
    expect(escapeControlChars('a\nb\tc\x7f')).toBe('a#012b#011c#177');
    expect(escapeControlChars('clean')).toBe('clean');
  });
});
