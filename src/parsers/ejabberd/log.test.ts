import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const ctx = { clock: createManualClock(Date.UTC(2026, 11, 7, 12)), logPath: '/var/log/ejabberd/ejabberd.log' };
const HEADER = '=INFO REPORT==== 2012-09-03 10:12:44 ===';
/** The header's time, local to this host as ejabberd wrote it. */
const HEADER_TIME = new Date(2012, 8, 3, 10, 12, 44).toISOString();
const RECORD =
  'I(<0.1440.0>:ejabberd_c2s:813) : ({socket_state,tls,{tlssock,#Port<0.6439>,#Port<0.6441>},<0.1439.0>}) Failed authentication for bob@example.org from IP 203.0.113.61 ({{203,0,113,61},52417})';

describe("ejabberd's log before 2.1.13 (a header line above each record)", () => {
  it('gives the record the time of the header above it', () => {
    const parse = createParser('auto', ctx);
    expect(parse(HEADER)).toBeNull();
    const r = parse(RECORD);
    expect(r?.event['@timestamp']).toBe(HEADER_TIME);
    expect(r?.event['source.ip']).toBe('203.0.113.61');
  });

  it('keeps the header time across a restart that falls between the header and its record', () => {
    const parse = createParser('auto', ctx);
    parse(HEADER);
    const state = parse.snapshot?.();
    expect(state).toBeTypeOf('string');
    const after = createParser('auto', ctx);
    after.restore?.(state!);
    expect(after(RECORD)?.event['@timestamp']).toBe(HEADER_TIME);
  });
});
