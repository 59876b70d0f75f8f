import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { ParsedLine } from '../../core/event.js';
import { createParser } from '../index.js';

const ctx = { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) };

function feed(lines: readonly string[]): ParsedLine[] {
  const parse = createParser('auditd', ctx);
  const out: ParsedLine[] = [];
  for (const l of lines) {
    const r = parse(l);
    if (r) out.push(r);
  }
  return out;
}

/** auditd's own rule: plain strings are quoted, anything with a space, quote or control byte is hex. */
function encodeArg(s: string): string {
  return /^[\x21-\x7e]*$/.test(s) && !s.includes('"') && s !== ''
    ? `"${s}"`
    : Buffer.from(s, 'utf8').toString('hex').toUpperCase();
}

function execEvent(serial: number, args: readonly string[], eoe: boolean): string[] {
  const head = `msg=audit(1718362801.000:${serial}):`;
  const lines = [
    `type=SYSCALL ${head} arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=${serial} auid=1000 uid=1000 gid=1000 euid=1000 comm="x" exe="/bin/x" key=(null)`,
    `type=EXECVE ${head} argc=${args.length} ${args.map((a, i) => `a${i}=${encodeArg(a)}`).join(' ')}`,
    `type=CWD ${head} cwd="/"`,
  ];
  if (eoe) lines.push(`type=EOE ${head} `);
  return lines;
}

describe('auditd parser', () => {
  it('joins one event per serial and emits it on EOE', () => {
    const out = feed(execEvent(10, ['ls', '-l', '/tmp/a b'], true));
    expect(out).toHaveLength(1);
    const ev = out[0]!.event;
    expect(ev['process.args']).toEqual(['ls', '-l', '/tmp/a b']);
    expect(ev['process.command_line']).toBe('ls -l /tmp/a b');
    expect(ev['process.executable']).toBe('/bin/x');
    expect(ev['auditd.type']).toEqual(['SYSCALL', 'EXECVE', 'CWD']);
    expect(ev['event.category']).toEqual(['process']);
  });

  it('emits an event without EOE when the next kernel serial starts', () => {
    const out = feed([...execEvent(1, ['a'], false), ...execEvent(2, ['b'], false)]);
    expect(out.map((o) => o.event['process.args'])).toEqual([['a']]);
  });

  it('hands over the event still open at the end of the input, through auto too', () => {
    for (const format of ['auditd', 'auto'] as const) {
      const parse = createParser(format, ctx);
      const lines = [...execEvent(1, ['a'], false), ...execEvent(2, ['b'], false)];
      const out = lines.map((l) => parse(l)).filter((r) => r !== null);
      expect(out.map((o) => o.event['process.args'])).toEqual([['a']]);
      expect(parse.drain?.().map((o) => o.event['process.args'])).toEqual([['b']]);
      // Handed over once: a second ask finds nothing.
      expect(parse.drain?.()).toEqual([]);
    }
  });

  it('carries what it holds across a restart through snapshot and restore, through auto too', () => {
    for (const format of ['auditd', 'auto'] as const) {
      const reader = createParser(format, ctx);
      // Event 1 is completed by event 2's first record; event 2 is still open at the snapshot.
      const userAuth =
        'type=USER_AUTH msg=audit(1718362803.000:7): pid=1 uid=0 auid=1 ses=1 msg=\'op=PAM:authentication acct="root" exe="/usr/bin/su" hostname=? addr=? terminal=pts/0 res=failed\'';
      for (const l of execEvent(1, ['a'], false)) expect(reader(l)).toBeNull();
      expect(reader(userAuth)?.event['event.action']).toBe('user_auth');
      const [first, ...rest] = execEvent(2, ['b'], false);
      expect(reader(first!)?.event['process.args']).toEqual(['a']);
      for (const l of rest) reader(l);
      const state = reader.snapshot?.();
      expect(state).toBeTypeOf('string');
      const after = createParser(format, ctx);
      after.restore?.(state!);
      const out = execEvent(3, ['c'], true).map((l) => after(l));
      expect(out.filter((r) => r !== null).map((r) => r!.event['process.args'])).toEqual([['b'], ['c']]);
      expect(after.snapshot?.()).toBeUndefined();
      // A snapshot it cannot read leaves an empty parser, never a crash.
      const fresh = createParser(format, ctx);
      fresh.restore?.('{not json');
      expect(fresh(execEvent(4, ['d'], true)[0]!)).toBeNull();
    }
  });

  it('emits a user-space record at once, leaving the open kernel event open', () => {
    const lines = [
      ...execEvent(1, ['a'], false),
      'type=USER_AUTH msg=audit(1718362803.000:7): pid=1 uid=0 auid=1 ses=1 msg=\'op=PAM:authentication acct="root" exe="/usr/bin/su" hostname=? addr=? terminal=pts/0 res=failed\'',
      ...execEvent(3, ['c'], true),
    ];
    const out = feed(lines);
    expect(out.map((o) => o.event['event.action'])).toEqual(['user_auth', 'execve', 'execve']);
    expect(out.map((o) => o.event['event.sequence'])).toEqual([7, 1, 3]);
  });

  it('takes source.ip from addr= only when it is an address', () => {
    const [ev] = feed([
      'type=USER_LOGIN msg=audit(1718362804.000:9): pid=5 uid=0 auid=4294967295 ses=1 msg=\'op=login acct="admin" exe="/usr/sbin/sshd" hostname=evil addr=203.0.113.7 terminal=sshd res=failed\'',
    ]);
    expect(ev!.event['source.ip']).toBe('203.0.113.7');
    expect(ev!.event['event.outcome']).toBe('failure');
    const [q] = feed([
      'type=USER_LOGIN msg=audit(1718362804.000:9): pid=5 uid=0 auid=1 ses=1 msg=\'op=login acct="a" exe="/bin/login" hostname=? addr=? terminal=tty1 res=success\'',
    ]);
    expect(q!.event['source.ip']).toBeUndefined();
  });

  it('property: any arguments survive encoding, joining and decoding', () => {
    const arg = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (events) => {
        const lines = events.flatMap((args, i) => execEvent(100 + i, args, true));
        const out = feed(lines);
        expect(out).toHaveLength(events.length);
        for (const [i, o] of out.entries()) expect(o.event['process.args']).toEqual(events[i]);
      }),
      { numRuns: 200 },
    );
  });

  it('property: arbitrary lines never throw and never yield more events than serials', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(
          fc.constantFrom('SYSCALL', 'EXECVE', 'PATH', 'EOE', 'USER_AUTH'),
          fc.nat(5),
          fc.string({ maxLength: 80 }),
        )
        .map(([t, s, rest]) => `type=${t} msg=audit(1718362801.000:${s}): ${rest}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const out = feed(lines);
        expect(out.length).toBeLessThanOrEqual(lines.length);
      }),
      { numRuns: 300 },
    );
  });
});
