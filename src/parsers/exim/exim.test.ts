import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import type { EcsEvent } from '../../core/event.js';
import { createParser } from '../index.js';

const ctx = { clock: createManualClock(Date.parse('2022-07-01T12:00:00Z')) };

function parse(line: string, format = 'exim'): EcsEvent | undefined {
  return createParser(format, ctx)(line)?.event;
}

/** Lines as Exim wrote them (fail2ban's and CrowdSec's samples, Exim's spec for the variants). */
describe('exim parser', () => {
  it('reads a failed AUTH with its set_id, behind either a mainlog date or a syslog envelope', () => {
    for (const line of [
      '2022-06-29 16:04:05 dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=info@test.com)',
      'Jun 29 16:04:05 server exim[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=info@test.com)',
      'Jun 29 16:04:05 server exim4[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=info@test.com)',
      '2022-06-29 16:04:05 mx1 exim[29786]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=info@test.com)',
    ]) {
      for (const format of ['exim', 'auto', 'syslog']) {
        if (format === 'syslog' && line.startsWith('2022-06-29 16:04:05 d')) continue;
        const ev = parse(line, format);
        expect(ev, `${format}: ${line}`).toMatchObject({
          'event.dataset': 'exim',
          'event.action': 'smtp_auth_failure',
          'event.outcome': 'failure',
          'source.ip': '1.2.3.4',
          'source.port': 55379,
          'user.name': 'info@test.com',
          'leuko.smtp.code': 535,
          'leuko.smtp.helo': '[1.2.3.5]',
        });
      }
    }
  });

  it('reads the optional pid, milliseconds and time zone of the mainlog stamp', () => {
    const ev = createParser(
      'auto',
      ctx,
    )(
      '2023-05-30 06:10:13.345 +0200 [4242] login authenticator failed for millis.example.org [192.0.2.12]:5432: 535 Incorrect authentication data (set_id=user)',
    );
    expect(ev?.time).toBe(Date.parse('2023-05-30T04:10:13.345Z'));
    expect(ev?.event).toMatchObject({ 'source.ip': '192.0.2.12', 'source.domain': 'millis.example.org' });
  });

  it('reads rejects: permanent or temporary, the command, the recipient, unknown recipients apart', () => {
    expect(
      parse(
        '2022-06-29 15:33:46 H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: "JunkMail rejected - test.com [1.2.3.4]:53343 is in an RBL"',
      ),
    ).toMatchObject({
      'event.action': 'smtp_reject',
      'leuko.smtp.command': 'RCPT',
      'leuko.smtp.permanent': true,
      'email.to.address': 'toto@toto.com',
      'email.from.address': 'info@test.com',
      'source.ip': '1.2.3.4',
    });
    expect(
      parse(
        '2022-06-29 15:35:46 H=test.sa.com [1.2.3.4]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited (1.9/1h max:1.2)"',
      ),
    ).toMatchObject({ 'event.action': 'smtp_reject', 'leuko.smtp.permanent': false, 'source.ip': '1.2.3.4' });
    expect(
      parse(
        '2022-06-29 16:04:14 H=imfo.test.com [1.2.3.4]:35328 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no F=<info6@test.com> rejected RCPT <sales@toto.com.au>: No Such User Here',
      ),
    ).toMatchObject({ 'event.action': 'smtp_unknown_recipient', 'email.to.address': 'sales@toto.com.au' });
    expect(
      parse(
        '2022-06-29 18:37:43 H=tata.test.biz [1.2.3.5]:41584 sender verify fail for <toto@test.biz>: The mail server does not recognize toto@test.biz as a valid sender.',
      ),
    ).toMatchObject({
      'event.action': 'smtp_sender_verify_failure',
      'event.outcome': 'failure',
      'source.ip': '1.2.3.5',
    });
    expect(
      parse(
        '2013-06-02 09:22:06 SMTP call from [192.0.2.109] dropped: too many syntax or protocol errors (last command was "AUTH LOGIN")',
      ),
    ).toMatchObject({ 'event.action': 'smtp_too_many_errors', 'source.ip': '192.0.2.109' });
  });

  it('reads a login from the arrival line, and no client from deliveries', () => {
    expect(
      parse(
        '2022-06-29 16:10:00 1oIc1A-0002Qx-Tb <= info@test.com H=(laptop) [2001:db8::7]:50012 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:info@test.com S=1234 id=<x A=fake:root>',
      ),
    ).toMatchObject({
      'event.action': 'smtp_auth_success',
      'event.outcome': 'success',
      'user.name': 'info@test.com',
      'source.ip': '2001:db8::7',
    });
    // The Message-ID is the client's: an `A=` in it is no login.
    expect(
      parse(
        '2022-06-29 16:10:01 1oIc1B-0002Qx-Tc <= spam@example.net H=mx.example.net [::ffff:192.0.2.80]:25000 P=esmtp S=800 id=<x A=fake:root@y>',
      ),
    ).toMatchObject({ 'event.action': 'smtp_client', 'source.ip': '192.0.2.80' });
    const out = parse(
      '2022-06-29 16:10:02 1oIc1A-0002Qx-Tb => bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [198.51.100.2] C="250 OK"',
    );
    expect(out?.['event.dataset']).toBe('exim');
    expect(out?.['source.ip']).toBeUndefined();
  });

  it('never takes the address from the HELO, a sender, a command or a rejection text', () => {
    const cases: [string, string | undefined][] = [
      // A junk HELO (helo_accept_junk_hosts) forging a whole host field: the line gives no address.
      [
        '2022-06-29 15:00:00 H=(x) [6.6.6.6]:25 I=[10.0.0.1]:25 F=<a@b> (y) [1.2.3.4]:4000 F=<a@b> rejected RCPT <c@d>: relay not permitted',
        undefined,
      ],
      [
        '2022-06-29 15:00:00 dovecot_login authenticator failed for (a) [6.6.6.6]) [1.2.3.4]:55379: 535 Incorrect authentication data (set_id=x)',
        undefined,
      ],
      // The client's command before the host, Exim's reason after it.
      [
        '2017-11-28 14:14:32 SMTP protocol error in "aUtH lOgIn" H=(test) [8.8.8.8]" H=(roxzgj) [192.0.2.6] AUTH command used when not advertised',
        '192.0.2.6',
      ],
      // The sender comes before the host in an arrival: two hosts, no address.
      [
        '2022-06-29 16:10:00 1oIc1A-0002Qx-Tb <= "x H=[6.6.6.6]"@evil.example H=(laptop) [1.2.3.4]:50012 P=esmtpsa A=plain:u S=1',
        undefined,
      ],
      [
        '2022-06-29 15:00:00 H=(helo) [1.2.3.4]:4000 F=<"a H=[6.6.6.6]"@b> rejected RCPT <c@d>: Unknown user',
        '1.2.3.4',
      ],
    ];
    for (const [line, ip] of cases) {
      const ev = parse(line);
      expect(ev?.['source.ip'], line).toBe(ip);
    }
  });

  it('leaves lines of other formats to them under auto-detection', () => {
    const auto = createParser('auto', ctx);
    expect(
      auto('2022-06-29 16:04:05 web1 sshd[42]: Failed password for root from 203.0.113.9 port 22 ssh2')?.event[
        'event.dataset'
      ],
    ).toBe('sshd');
    expect(
      auto("2015-10-07 06:09:42 140 [Warning] Access denied for user 'root'@'203.0.113.9' (using password: YES)")
        ?.event['event.dataset'],
    ).toBe('mysqld');
    expect(auto('2022-06-29 16:04:05 something else entirely')?.event['event.dataset']).not.toBe('exim');
  });
});
