import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedLine } from '../../core/event.js';
import type { RecordGate, SettledLine } from '../../core/parser.js';
import { createRecordGate, type RecordRules } from './record-gate.js';

/** The address a test line names: after `@` or `-> `. */
const named = (line: string) => /(?:@|-> )(\S+)/.exec(line)?.[1];

const parsedOf = (line: string, time = 0): ParsedLine => {
  const ip = named(line);
  return {
    time,
    event: { '@timestamp': '', message: line, 'event.kind': 'event', ...(ip ? { 'source.ip': ip } : {}) },
  };
};

/** A writer whose records open with `R` and whose split records end in `-> SENDER`. */
const rules: RecordRules = {
  maxRecordBytes: 64,
  opens: (line) => line.startsWith('R'),
  continues: () => true,
  sender: (line) => (line.includes('-> ') ? named(line) : undefined),
  revealed: (line, _parsed, time) => (line.includes('-> ') ? parsedOf(line, time) : null),
  survivesCut: (line) => line.startsWith('R-safe'),
  armOnFirstRecord: false,
};

/** What `gate` lets go now, in order. */
function taken(gate: RecordGate): SettledLine[] {
  const out: SettledLine[] = [];
  for (let s = gate.next(); s !== undefined; s = gate.next()) out.push(s);
  return out;
}

/** Feed `lines` as one file (exact offsets), then settle; what comes out, in order. */
function run(lines: readonly string[], r: RecordRules = rules, exact = true): SettledLine[] {
  const gate = createRecordGate(r);
  const out: SettledLine[] = [];
  let end = 0;
  for (const line of lines) {
    end += Buffer.byteLength(line) + 1;
    gate.admit(line, line.startsWith('R') ? parsedOf(line) : null, exact ? end : undefined);
    out.push(...taken(gate));
  }
  gate.settle();
  out.push(...taken(gate));
  return out;
}

const kept = (out: readonly SettledLine[]) => out.filter((s) => !s.dropped).map((s) => s.line);

describe('record gate', () => {
  it('lets every line go, in order, once a record can no longer continue or the source pauses', () => {
    const gate = createRecordGate(rules);
    const got: string[] = [];
    const lines = ['R1 aaaaaaaaaaaaaaaaaaaa', 'R2 bbbbbbbbbbbbbbbbbbbb', 'R3 cccccccccccccccccccc', 'R4 dd'];
    let end = 0;
    for (const line of lines) {
      end += line.length + 1;
      gate.admit(line, parsedOf(line), end);
      got.push(...taken(gate).map((s) => s.line));
    }
    // R1 starts 64 bytes or more before the end of R3: nothing can join it any more.
    expect(got).toEqual(['R1 aaaaaaaaaaaaaaaaaaaa']);
    gate.settle();
    got.push(...taken(gate).map((s) => s.line));
    expect(got).toEqual(lines);
  });

  it('drops the lines a continuing line may share a record with, and keeps what that line reveals', () => {
    const out = run(['R0 an old record, well before the split', 'R1 split', 'R2 forged', 'tail -> sender']);
    expect(kept(out)).toEqual(['R0 an old record, well before the split', 'tail -> sender']);
    expect(out.filter((s) => s.dropped).map((s) => s.line)).toEqual(['R1 split', 'R2 forged']);
    // A continuing line that names no sender is dropped with the rest.
    expect(kept(run(['R1 split', 'R2 forged', 'tail']))).toEqual([]);
  });

  it('keeps the sender’s own lines within reach: forging right after its failures does not erase them', () => {
    expect(kept(run(['R1 fail @s', 'R2 fail @s', 'R3 split', 'R4 forged @v', 'tail -> s']))).toEqual([
      'R1 fail @s',
      'R2 fail @s',
      'tail -> s',
    ]);
  });

  it('drops a continuing line the client wrote inside a longer split record, and what it spared', () => {
    // The client writes a line shaped like the writer's end naming v; the real end (or the cut)
    // comes after it in the same record and drops it, and the forged line naming v it spared.
    expect(kept(run(['R1 split', 'R2 forged @v', 'x -> v', 'R3 more', 'tail -> s']))).toEqual(['tail -> s']);
    expect(kept(run(['R1 split', 'R2 forged @v', 'x -> v', 'R3 '.padEnd(34, 'c')]))).toEqual([]);
  });

  it('drops a record cut at the limit: the lines from its start to the line ending exactly there', () => {
    // 'R1 ...' (31 + 1 bytes) and 'R2 ...' (31 + 1 bytes) make exactly 64: R2 may be the cut end of R1.
    const cut = ['R1 '.padEnd(31, 'x'), 'R2 '.padEnd(31, 'y')];
    expect(kept(run(cut))).toEqual([]);
    // One byte shorter, the same lines are two whole records.
    expect(kept(run(['R1 '.padEnd(30, 'x'), 'R2 '.padEnd(31, 'y')]))).toEqual([
      'R1 '.padEnd(30, 'x'),
      'R2 '.padEnd(31, 'y'),
    ]);
    // A single line at the limit may be a cut record too.
    expect(kept(run(['R1 '.padEnd(63, 'z'), 'R2 ok']))).toEqual(['R2 ok']);
    // Unless its client cannot have been forged, cut or not (nginx's basic-auth records).
    expect(kept(run(['R-safe '.padEnd(63, 'z'), 'R2 ok']))).toEqual(['R-safe '.padEnd(63, 'z'), 'R2 ok']);
  });

  it('starts over at a new file: no record spans the boundary', () => {
    const gate = createRecordGate(rules);
    gate.admit('R1 in the old file', parsedOf('R1'), 19);
    gate.admit('R2 first line of the new file', parsedOf('R2'), 30);
    gate.admit('tail of R2 -> sender', null, 51);
    const out: SettledLine[] = [];
    gate.settle();
    out.push(...taken(gate));
    expect(out.map((s) => [s.line, s.dropped])).toEqual([
      ['R1 in the old file', false],
      ['R2 first line of the new file', true],
      ['tail of R2 -> sender', false],
    ]);
  });

  it('judges wrapped lines per stream, on their text: another stream interleaved changes nothing', () => {
    // A container's records: `err:` lines are the writer's stream, `out:` lines another one.
    const wrapped: RecordRules = {
      ...rules,
      view: (line) => ({ channel: line.slice(0, 3), text: line.slice(4) }),
    };
    const gate = createRecordGate(wrapped);
    const lines = [
      'err R1 split',
      'out R9 other stream @o',
      'err R2 forged @v',
      'out R9 other stream @o',
      'err tail -> s',
    ];
    for (const line of lines) gate.admit(line, parsedOf(line.slice(4)), undefined);
    gate.settle();
    const out: SettledLine[] = [];
    out.push(...taken(gate));
    expect(out.map((s) => [s.line, s.dropped])).toEqual([
      ['err R1 split', true],
      ['out R9 other stream @o', false],
      ['err R2 forged @v', true],
      ['out R9 other stream @o', false],
      ['err tail -> s', false],
    ]);
  });

  it('lets a quiet stream’s line go once the other streams moved 64 KiB on, so a replay holds little', () => {
    const wrapped: RecordRules = { ...rules, view: (line) => ({ channel: line.slice(0, 3), text: line.slice(4) }) };
    const gate = createRecordGate(wrapped);
    gate.admit('err R1 the only line of a quiet stream', null, undefined);
    let out = 0;
    let first: string | undefined;
    for (let i = 0; i < 2000; i++) {
      gate.admit(`out R${i} ${'x'.repeat(90)}`, null, undefined);
      for (let s = gate.next(); s !== undefined; s = gate.next()) {
        first ??= s.line;
        out++;
      }
    }
    // 2000 lines of about 100 bytes: all but the last 64 KiB or so are let go before the end.
    expect(first).toBe('err R1 the only line of a quiet stream');
    expect(out).toBeGreaterThan(1300);
  });

  it('in arm-on-first-record mode, passes lines straight through until a record opens', () => {
    const gate = createRecordGate({ ...rules, armOnFirstRecord: true });
    gate.admit('another program', null, 16);
    expect(gate.next()?.line).toBe('another program');
    gate.admit('R1 now armed', parsedOf('R1'), 29);
    expect(gate.next()).toBeUndefined();
  });

  it('keeps what it holds across a snapshot and restore', () => {
    const a = createRecordGate(rules);
    a.admit('R1 split', parsedOf('R1 split', 5), 9);
    a.admit('R2 forged', parsedOf('R2 forged', 6), 19);
    const b = createRecordGate(rules);
    b.restore(a.snapshot()!);
    b.admit('tail -> sender', null, 34);
    b.settle();
    const out: SettledLine[] = [];
    out.push(...taken(b));
    expect(out.map((s) => [s.line, s.dropped])).toEqual([
      ['R1 split', true],
      ['R2 forged', true],
      ['tail -> sender', false],
    ]);
    // The revealed finding takes the time of the record it ends, not a forged line's.
    expect(out[2]!.parsed?.time).toBe(5);
    expect(createRecordGate(rules).snapshot()).toBeUndefined();
  });

  it('property: whole records of any length are all let go, in order, unless one ends exactly at the limit from another', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z ]{0,70}$/), { maxLength: 40 }), (bodies) => {
        const lines = bodies.map((b, i) => `R${i} ${b}`);
        const out = run(lines);
        expect(out.map((s) => s.line)).toEqual(lines);
        // Where a record may have been cut (its end exactly 64 bytes after a record's start),
        // the lines of that span are dropped; every other line is kept.
        const starts: number[] = [];
        const ends: number[] = [];
        let pos = 0;
        for (const l of lines) {
          starts.push(pos);
          pos += Buffer.byteLength(l) + 1;
          ends.push(pos);
        }
        const dropped = new Set<number>();
        for (let j = 0; j < lines.length; j++) {
          const s = starts.indexOf(ends[j]! - 64);
          if (s >= 0 && s <= j) for (let k = s; k <= j; k++) dropped.add(k);
        }
        expect(out.map((s) => s.dropped)).toEqual(lines.map((_, i) => dropped.has(i)));
      }),
    );
  });

  it('property: no line of a split record is kept, wherever the split falls and wherever the writer cuts it', () => {
    const record = fc.stringMatching(/^[a-z ]{0,30}$/);
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 5 }),
        fc.array(record, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.array(record, { maxLength: 5 }),
        (before, forged, sender, after) => {
          // The client's line breaks split one record: its first line, forged records, then the
          // writer's end of it; the writer cuts the whole at 63 bytes and its newline (nginx).
          let text = [
            `R-split ${forged[0]}`,
            ...forged.slice(1).map((f) => `R-forged ${f}`),
            sender ? '-> x' : 'end',
          ].join('\n');
          if (text.length + 1 > 64) text = text.slice(0, 63);
          const lines = [
            ...before.map((b) => `R-before ${b}`.slice(0, 63)),
            ...text.split('\n'),
            ...after.map((a) => `R-after ${a}`.slice(0, 62)),
          ];
          const out = run(lines);
          expect(out.map((s) => s.line)).toEqual(lines);
          for (const s of out) if (/^R-(split|forged)/.test(s.line)) expect(s.dropped, s.line).toBe(true);
        },
      ),
    );
  });
});
