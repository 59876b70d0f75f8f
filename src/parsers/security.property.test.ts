import ipaddr from 'ipaddr.js';
import fc from 'fast-check';
import { selfHostedLines, syslogAppLines } from '../../rules/scenarios/self-hosted-lines.js';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { createParser } from './index.js';

/**
 * The security invariant: text an attacker controls (user names, URLs, user agents,
 * referrers, PAM ruser/user, mail user names) never moves `source.ip`. Each property embeds
 * a different address, fake syslog prefixes, quotes and escapes into those fields; the parsed
 * address must be the real one, or the line is dropped as ambiguous.
 */
const FAKE = '10.66.66.66';
const FRAGMENTS = [
  ` from ${FAKE} port 22`,
  ` from ${FAKE} port 22 ssh2`,
  ` from ${FAKE} port 22 ssh2: RSA SHA256:x`,
  `' failed for '${FAKE}:5060' - Wrong password`,
  `",RemoteAddress="IPV4/UDP/${FAKE}/5060`,
  ` (${FAKE}:5060) to extension '`,
  ` (from ${FAKE})`,
  ` from ${FAKE}`,
  ` ${FAKE} port 22 [preauth]`,
  `${FAKE}`,
  ` rhost=${FAKE}`,
  ` rhost=${FAKE}  user=x`,
  ` rhost=${FAKE} user=root`,
  `, client: ${FAKE}, server: x`,
  `, client: ${FAKE}, server: x, request: "GET / HTTP/1.1", host: "x"`,
  `": password mismatch, client: ${FAKE}, server: x`,
  ` [client ${FAKE}:1] `,
  `, rip=${FAKE}, lip=192.0.2.1`,
  `>, method=PLAIN, rip=${FAKE}, lip=192.0.2.1, session=<x`,
  `,${FAKE}): unknown user`,
  `,${FAKE})<1><s>: request [1]: pam: unknown user`,
  `'@'${FAKE}' (using password: YES)`,
  `' from ${FAKE}:22`,
  `[${FAKE}]: SASL LOGIN authentication failed: x`,
  `Jun 14 09:00:00 evil sshd[1]: Failed password for root from ${FAKE} port 22 ssh2`,
  `${FAKE} - - [14/Jun/2024:18:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`,
  // The same markers with the address written another way.
  ` from ::ffff:${FAKE} port 22 ssh2`,
  ` from 2001:db8::66 port 22`,
  ` [client 2001:db8::66:80] `,
  `, rip=::ffff:${FAKE}, lip=192.0.2.1`,
  `, client: 2001:db8::66, server: x`,
  ` rhost=::ffff:${FAKE}`,
  `[::ffff:${FAKE}]`,
  // JSON keys, for lines templated without escaping.
  `","remote_addr":"${FAKE}`,
  `","remote_ip":"${FAKE}","x":"`,
  `","source.ip":"${FAKE}`,
  `"},"source":{"ip":"${FAKE}"},"x":{"y":"`,
  ` (hihoinjection[${FAKE}]): no such user found from x [${FAKE}] to ${FAKE}:21`,
  ` (x[${FAKE}]) - USER y (Login failed): Incorrect password`,
  `] FAIL LOGIN: Client "${FAKE}"`,
  `", "530 Permission denied."`,
  `) (?@${FAKE}) [WARNING] Authentication failed for user [`,
  ']',
  `) [${FAKE}]:25`,
  `) [${FAKE}]`,
  ` H=[${FAKE}]:25`,
  `" H=(x) [${FAKE}] `,
  ` H=(x) [${FAKE}]:25 I=[10.0.0.1]:25 F=<a@b> rejected RCPT <c@d>: x`,
  ` (host=x [${FAKE}]) for `,
  `2024-06-14 09:00:00 login authenticator failed for [${FAKE}]: 535 x`,
  ` from ${FAKE}`,
  ` from ${FAKE}. AUTHENTICATE PLAIN: `,
  ` from ${FAKE} in session x`,
  ` from ${FAKE}(X-Real-IP: ${FAKE})`,
  `, relay=[${FAKE}], reject=550 5.7.1 `,
  `, relay=x [${FAKE}] (may be forged)`,
  `[${FAKE}]: possible SMTP attack: command=AUTH, count=5`,
  '"',
  '\\"',
  '\\x22',
  '\\x0A',
  ' ',
  ': ',
  ' [preauth]',
  // Markers of the self-hosted applications' and portals' lines.
  ` IP=${FAKE}`,
  `' from: ${FAKE}`,
  ` (${FAKE})`,
  ` from ip address ${FAKE}`,
  `;oip=${FAKE};`,
  `, ipAddress=${FAKE}, `,
  `|AUTHENTICATION_FAILED|x|${FAKE}|192.0.2.10`,
  ` - ${FAKE} global miniserv.pl "failed" "-" "wrongpass"`,
  `" has been denied (IP: "${FAKE}").`,
  ` (Remote IP: ${FAKE})`,
  ` rhost=${FAKE} user=root@pam msg=x`,
  // amavis' verdict: the actions and the address brackets.
  ` {DiscardedInbound}, [${FAKE}]:1 [${FAKE}] <`,
  // Squid's access.log.
  ` ${FAKE} TCP_DENIED/403 3722 GET http://x - HIER_NONE/- text/html`,
  // Markers of the ALB, Zoraxy, CouchDB, Gotify, cPanel, Wings and Exchange lines.
  ` ${FAKE}:44740 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET / HTTP/1.1" "`,
  `] [client: ${FAKE}] [useragent: `,
  ` ${FAKE} undefined GET / 401 ok 1`,
  ` |       ${FAKE} | POST     "/client"`,
  ` ${FAKE} - root "POST /login/ HTTP/1.1" FAILED LOGIN cpaneld: `,
  ` ip=${FAKE}:28050 subsystem=sftp username=`,
  `,${FAKE}:35070,`,
  // Centreon, DirectAdmin, SquirrelMail, SoftEther, Tine 2.0, Group-Office, ZNC, Horde, screen sharing.
  `' : password mismatch`,
  `' via '`,
  ` (example.org) from ${FAKE}: Unknown user or password incorrect.`,
  `", from ${FAKE}.`,
  ` from ${FAKE} failed (-1)!`,
  `" from IP: ${FAKE}`,
  `] failed to login from ${FAKE}`,
  `] connected to ZNC from ${FAKE}:6697`,
  ` [${FAKE}] to Horde [on line 1 of "x"]`,
  ` [${FAKE}] to {`,
  ` :: Viewer Address: ${FAKE} :: Type: DH`,
  // Open WebMail, Domino, the Half-Life server's rcon, SQL Server, Kerio Connect.
  `) ${FAKE} - login error - x`,
  ` ; connecting host [${FAKE}]`,
  ` [${FAKE}] authentication failure using internet password`,
  `" from "${FAKE}:27015"`,
  `'. Reason: x [CLIENT: ${FAKE}]`,
  `>, IP address ${FAKE}`,
  `. Attempt from IP address ${FAKE}.`,
  `" failed. Authentication attempt from ${FAKE} for user "`,
  `[${FAKE}, 127.0.0.1]`,
  `" successfully authenticated from ${FAKE}.`,
  ` has been rate-limited.`,
  `</Data><Data Name="IpAddress">${FAKE}</Data>`,
  `] login attempt [${FAKE}/x] failed`,
  `[HoneyPotSSHTransport,0,${FAKE}] `,
];

/** Attacker text: fragments and random characters, on one line. */
const attacker = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), { minLength: 0, maxLength: 5 })
  .map((parts) => parts.join('').replace(/[\r\n]/g, ' '));

const realIp = fc.ipV4().filter((ip) => ip !== FAKE);

/**
 * IPv6 clients whose address ends with zero groups, written with a trailing `::`
 * (`2001:db8:1:2:abcd::`): a client picks its own within its /64.
 */
const zerosLastIp = fc
  .array(fc.integer({ min: 1, max: 0xffff }), { minLength: 1, maxLength: 6 })
  .map((groups) => `${groups.map((g) => g.toString(16)).join(':')}::`);

function check(
  format: string,
  build: (ip: string, a: string, b: string) => string,
  ips: fc.Arbitrary<string> = realIp,
): void {
  fc.assert(
    fc.property(ips, attacker, attacker, (ip, a, b) => {
      const parse = createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
      const r = parse(build(ip, a, b));
      if (r === null) return true;
      expect(r.event['source.ip'], build(ip, a, b)).toBe(ip);
      return true;
    }),
    { numRuns: 400 },
  );
}

const SYSLOG = 'Jun 14 09:00:00 web1';

/**
 * `check` for lines whose client text can change what the line is (a templated JSON line
 * becomes another application's record, or none): any address read must be the real one.
 */
function checkNoOther(format: string, build: (ip: string, a: string, b: string) => string): void {
  fc.assert(
    fc.property(realIp, attacker, attacker, (ip, a, b) => {
      const parse = createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
      const got = parse(build(ip, a, b))?.event['source.ip'];
      if (got !== undefined) expect(got, build(ip, a, b)).toBe(ip);
      return true;
    }),
    { numRuns: 400 },
  );
}

/**
 * `check` for a server that names the client once per connection: every line of the session
 * goes through one parser, and each that parses must carry the real address (or none, before
 * the connection's first record), the last one always.
 */
function checkSession(format: string, build: (ip: string, a: string, b: string) => readonly string[]): void {
  fc.assert(
    fc.property(realIp, attacker, attacker, (ip, a, b) => {
      const parse = createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
      const lines = build(ip, a, b);
      lines.forEach((line, i) => {
        const r = parse(line);
        if (r === null) return;
        if (i === lines.length - 1 || r.event['source.ip'] !== undefined) expect(r.event['source.ip'], line).toBe(ip);
      });
      return true;
    }),
    { numRuns: 200 },
  );
}

describe('attacker text never moves source.ip', () => {
  for (const format of ['sshd', 'auto'] as const) {
    it(`${format}: sshd user names and key info`, () => {
      check(format, (ip, u) => `${SYSLOG} sshd[1]: Failed password for invalid user ${u} from ${ip} port 22 ssh2`);
      check(format, (ip, u) => `${SYSLOG} sshd[1]: Invalid user ${u} from ${ip} port 22`);
      // The same messages as a journal entry rendered without a time, and behind a kernel stamp.
      check(format, (ip, u) => `srv sshd[1]: Failed password for invalid user ${u} from ${ip} port 22 ssh2`);
      check(format, (ip, u) => `${SYSLOG} sshd[1]: kernel: [12.5] Invalid user ${u} from ${ip} port 22`);
      check(
        format,
        (ip, u) =>
          `${SYSLOG} sshd[1]: message repeated 3 times: [ Failed password for invalid user ${u} from ${ip} port 22 ssh2]`,
      );
      check(format, (ip, u) => `${SYSLOG} sshd[1]: Connection closed by invalid user ${u} ${ip} port 22 [preauth]`);
      check(format, (ip, u) => `${SYSLOG} sshd[1]: Disconnected from authenticating user ${u} ${ip} port 22 [preauth]`);
      check(
        format,
        (ip, u) =>
          `${SYSLOG} sshd[1]: error: maximum authentication attempts exceeded for invalid user ${u} from ${ip} port 22 ssh2 [preauth]`,
      );
      check(format, (ip, u) => `${SYSLOG} sshd[1]: User ${u} from ${ip} not allowed because not listed in AllowUsers`);
      check(
        format,
        (ip, u) =>
          `${SYSLOG} sshd[1]: Disconnecting invalid user ${u} ${ip} port 22: Too many authentication failures [preauth]`,
      );
      check(format, (ip, u) => `${SYSLOG} sshd[1]: Bad protocol version identification '${u}' from ${ip} port 22`);
      // An IPv6 client whose address ends with `::` reads as itself, not as the one its user name holds.
      for (const build of [
        (ip: string, u: string) => `${SYSLOG} sshd[1]: Failed password for invalid user ${u} from ${ip} port 22 ssh2`,
        (ip: string, u: string) => `${SYSLOG} sshd[1]: Invalid user ${u} from ${ip} port 22`,
        (ip: string, u: string) => `${SYSLOG} sshd[1]: Received disconnect from ${ip} port 22:11: ${u} [preauth]`,
      ])
        check(format, build, zerosLastIp);
      // A postponed attempt lends its address to the connection's next ambiguous line.
      check(
        format,
        (ip, u) =>
          `${SYSLOG} sshd[1]: Postponed keyboard-interactive for invalid user ${u} from ${ip} port 22 ssh2 [preauth]`,
      );
      checkSession(format, (ip, u) => [
        `${SYSLOG} sshd[1]: Invalid user ${u} from ${ip} port 22`,
        `${SYSLOG} sshd[1]: Postponed keyboard-interactive for invalid user ${u} from ${ip} port 22 ssh2 [preauth]`,
        `${SYSLOG} sshd[1]: Failed keyboard-interactive/pam for invalid user ${u} from ${ip} port 22 ssh2`,
      ]);
      check(format, (ip, u, c) => `${SYSLOG} sshd[1]: Received disconnect from ${ip} port 22:11: ${u}${c} [preauth]`);
      check(
        format,
        (ip, u, c) =>
          `${SYSLOG} sshd[1]: Failed hostbased for ${u.replace(/\s/g, '')} from ${ip} port 22 ssh2: RSA SHA256:abc, client user "${c}", client host "h"`,
      );
    });
  }

  it('pam: ruser and user', () => {
    check(
      'pam',
      (ip, r, u) =>
        `${SYSLOG} vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=${r} rhost=${ip}  user=${u}`,
    );
    check(
      'auto',
      (ip, r) =>
        `${SYSLOG} sshd[2]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=${r} rhost=${ip}`,
    );
  });

  // Roundcube writes the visitor's user name before the address and the request URL after it.
  it('roundcube: user name and request URL', () => {
    const ERRORS = '[14-Jun-2024 09:00:00 +0000]:';
    check(
      'auto',
      (ip, u, url) =>
        `${SYSLOG} roundcube: IMAP Error: Login failed for ${u} from ${ip}. AUTHENTICATE PLAIN: A0002 NO Login failed. in /usr/share/roundcube/program/include/rcube_imap.php on line 205 (POST /?_task=login&${url})`,
    );
    check('auto', (ip, u) => `${ERRORS} <j2pncet8> Failed login for ${u} from ${ip} in session 4z506z6r (error: 0)`);
    check('auto', (ip, u) => `${ERRORS} FAILED login for ${u} from ${ip}`);
    check(
      'auto',
      (ip, u, xff) =>
        `${ERRORS} IMAP Error: Login failed for ${u} from ${ip}(X-Real-IP: ${xff},X-Forwarded-For: ${xff}). AUTHENTICATE PLAIN: Authentication failed.`,
    );
  });

  // Asterisk writes the SIP From header, account, session and dialled extension as the client sent them.
  it('asterisk: From header, account, session id, call id and extension', () => {
    const T = '[2016-05-23 10:18:16]';
    check(
      'auto',
      (ip, a, b) =>
        `${T} NOTICE[1638] chan_sip.c: Registration from '<sip:${a}@example.com>' failed for '${ip}:5060' - ${b}`,
    );
    check(
      'auto',
      (ip, a, b) =>
        `${T} NOTICE[19388] res_pjsip/pjsip_distributor.c: Request 'INVITE' from '"${a}" <sip:${a}@10.0.0.1>' failed for '${ip}:48336' (callid: ${b}) - No matching endpoint found`,
    );
    check(
      'auto',
      (ip, a, b) =>
        `${T} SECURITY[6988] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="2015-05-25T07:19:19.015+0300",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="${a}",SessionID="${b}",LocalAddress="IPV4/UDP/127.0.0.1/5060",RemoteAddress="IPV4/UDP/${ip}/5061"`,
    );
    check(
      'auto',
      (ip, a, b) =>
        `${T} NOTICE[3477][C-000003bb] chan_sip.c: Call from '${a}' (${ip}:10836) to extension '${b}' rejected because extension not found in context 'default'.`,
    );
    check('auto', (ip, a) => `${T} NOTICE[1638] chan_iax2.c: No registration for peer '${a}' (from ${ip})`);
    check(
      'auto',
      (ip, a) => `Jul 08 22:25:10 pbx asterisk[1]: NOTICE[2]: manager.c: ${ip} failed to authenticate as '${a}'`,
    );
  });

  it('dropbear: quoted user', () => {
    check('dropbear', (ip, u) => `${SYSLOG} dropbear[3]: Bad password attempt for '${u}' from ${ip}:5000`);
    check(
      'dropbear',
      (ip, u) =>
        `${SYSLOG} dropbear[3]: Exit before auth from <${ip}:5000>: (user '${u}', 10 fails): Max auth tries reached - user '${u}'`,
    );
  });

  for (const format of ['nginx', 'apache', 'auto'] as const) {
    it(`${format}: access-log user, URL, referrer and user agent`, () => {
      check(
        format,
        (ip, a, b) =>
          `${ip} - ${a.replace(/"/g, '\\x22') || '-'} [14/Jun/2024:18:00:00 +0000] "GET /${a.replace(/"/g, '\\x22')} HTTP/1.1" 200 1 "${b.replace(/"/g, '\\x22')}" "${a.replace(/"/g, '\\"')}"`,
      );
      check(
        format,
        (ip, a, b) =>
          `example.org ${ip} - - [14/Jun/2024:18:00:00 +0000] "${a.replace(/"/g, '\\x22')}" 400 1 "-" "${b.replace(/"/g, '\\x22')}"`,
      );
    });
  }

  // A vhost first is the client's Host header, spaces and all where the server lets them
  // through (nginx before 1.21.1's $host, $http_host, Apache's %{Host}i): `203.0.113.9 -` or a
  // whole syslog record there must not become the client.
  it('nginx, apache: a Host header written first, spaces and all', () => {
    const esc = (t: string) => t.replace(/\\/g, '\\x5C').replace(/"/g, '\\x22');
    for (const format of ['nginx', 'apache'] as const) {
      checkNoOther(
        format,
        (ip, h, u) =>
          `${esc(h) || '-'} ${ip} - ${esc(u) || '-'} [14/Jun/2024:18:00:00 +0000] "GET /${esc(u)} HTTP/1.1" 401 1 "-" "${esc(h)}"`,
      );
      checkNoOther(
        format,
        (ip, h) => `${esc(h)}${FAKE} - ${ip} - - [14/Jun/2024:18:00:00 +0000] "GET / HTTP/1.1" 400 1 "-" "-"`,
      );
    }
    // `auto`: once a stream showed an access line, a line shaped like one is read as one or dropped.
    checkSession('auto', (ip, h, u) => [
      `example.org ${ip} - - [14/Jun/2024:18:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`,
      `${esc(h)} ${ip} - ${esc(u) || '-'} [14/Jun/2024:18:00:01 +0000] "GET /${esc(u)} HTTP/1.1" 401 1 "-" "-"`,
      `${esc(h)}${FAKE} - ${ip} - - [14/Jun/2024:18:00:02 +0000] "GET / HTTP/1.1" 400 1 "-" "-"`,
      `${SYSLOG} postfix/smtpd[1]: warning: unknown[${FAKE}]: SASL LOGIN authentication failed: ${esc(h)} ${ip} - - [14/Jun/2024:18:00:03 +0000] "GET / HTTP/1.1" 400 1 "-" "-"`,
      `example.org ${ip} - - [14/Jun/2024:18:00:04 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`,
    ]);
  });

  // A mixed syslog stream (a web server's or container's tagged access lines beside sshd's) is not
  // a stream of bare access lines: a user name shaped like one must not hide an sshd failure.
  it('auto: an access record under a syslog tag does not make a mixed stream drop access-shaped sshd lines', () => {
    const parse = createParser('auto', {
      clock: createManualClock(Date.UTC(2024, 5, 14, 19)),
      logPath: '/var/log/syslog',
    });
    expect(
      parse(`${SYSLOG} nginx: 192.0.2.60 - - [14/Jun/2024:18:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`)?.event[
        'event.dataset'
      ],
    ).toBe('nginx.access');
    const ev = parse(
      `${SYSLOG} sshd[7]: Failed password for invalid user [14/Jun/2024:18:00:00 +0000] "x from 192.0.2.61 port 22 ssh2`,
    )?.event;
    expect(ev).toMatchObject({ 'source.ip': '192.0.2.61', 'event.outcome': 'failure' });
  });

  // Inside a container runtime's wrapper the application's line is read as it is: the wrapper
  // (CRI's head, Docker's JSON record, compose's `SERVICE  | `) adds no address of its own.
  it('auto: access and sshd lines inside CRI, Docker json-file and compose wrappers, and under a container tag', () => {
    const access = (ip: string, a: string, b: string) =>
      `${ip} - - [14/Jun/2024:18:00:00 +0000] "GET /${a.replace(/"/g, '\\x22')} HTTP/1.1" 404 1 "-" "${b.replace(/"/g, '\\"')}"`;
    const sshd = (ip: string, u: string) =>
      `${SYSLOG} sshd[1]: Failed password for invalid user ${u} from ${ip} port 22 ssh2`;
    for (const inner of [access, sshd]) {
      check('auto', (ip, a, b) => `2024-06-14T18:00:00.123456789Z stdout F ${inner(ip, a, b)}`);
      check('auto', (ip, a, b) =>
        JSON.stringify({ log: `${inner(ip, a, b)}\n`, stream: 'stderr', time: '2024-06-14T18:00:00Z' }),
      );
      check('auto', (ip, a, b) => `web-1  | ${inner(ip, a, b)}`);
      check('auto', (ip, a, b) => `web-1  | 2024-06-14T18:00:00.5Z ${inner(ip, a, b)}`);
    }
    // Docker's syslog driver: an access line under the container's tag.
    check('auto', (ip, a, b) => `${SYSLOG} docker/3f2a1b9c8d7e[812]: ${access(ip, a, b)}`);
  });

  it("lighttpd access: the client's Host header second, an address or not", () => {
    check(
      'auto',
      (ip, a, b) =>
        `${ip} ${a.replace(/[\s"]/g, '') || FAKE} - [14/Jun/2024:18:00:00 +0000] "GET /${a.replace(/"/g, '\\x22')} HTTP/1.1" 404 1 "-" "${b.replace(/"/g, '\\x22')}"`,
    );
    check('auto', (ip) => `${ip} ${FAKE} - [14/Jun/2024:18:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`);
  });

  it('nginx JSON access: request, user agent and forwarded headers beside remote_addr', () => {
    check('auto', (ip, a, b) =>
      JSON.stringify({
        time_iso8601: '2024-06-14T18:00:00+00:00',
        request: `GET /${a} HTTP/1.1`,
        http_x_forwarded_for: FAKE,
        remote_user: b,
        remote_addr: ip,
        status: '404',
        http_user_agent: `${a} remote_addr ${FAKE}`,
        http_referer: b,
      }),
    );
  });

  // A JSON line templated without escaping (nginx's `escape=none`, an application's printf)
  // keeps the client's quotes raw: a key written twice, or a field in two spellings, is theirs.
  it('templated JSON: raw quotes in the client text cannot add a second address key', () => {
    for (const format of ['json', 'auto'] as const) {
      checkNoOther(
        format,
        (ip, a, b) =>
          `{"time_iso8601":"2024-06-14T18:00:00+00:00","remote_addr":"${ip}","request":"GET /${a} HTTP/1.1","status":"401","http_user_agent":"${b}"}`,
      );
      checkNoOther(
        format,
        (ip, a, b) =>
          `{"@timestamp":"2024-06-14T18:00:00Z","source":{"ip":"${ip}"},"user":{"name":"${a}"},"user_agent":{"original":"${b}"},"event":{"outcome":"failure"}}`,
      );
      checkNoOther(
        format,
        (ip, u, p) =>
          `{"level":"error","method":"POST","msg":"Unsuccessful 1FA authentication attempt by user '${u}': user not found","path":"/api/firstfactor","remote_ip":"${ip}","time":"2025-03-13T13:39:05+02:00","ua":"${p}"}`,
      );
    }
    checkNoOther(
      'auto',
      (ip, u, p) =>
        `${SYSLOG} authelia[1]: {"level":"error","method":"POST","msg":"Unsuccessful 1FA authentication attempt by user '${u}': user not found","path":"/api/firstfactor","remote_ip":"${ip}","time":"2025-03-13T13:39:05+02:00","ua":"${p}"}`,
    );
  });

  it('iis: URI, user name, user agent and referrer around the client', () => {
    // IIS writes a space inside a field as `+` and an empty field as `-`.
    const f = (t: string) => t.replace(/ /g, '+') || '-';
    check(
      'auto',
      (ip, a, b) => `2024-06-14 20:00:00 192.0.2.10 GET /${f(a)} ${f(b)} 443 ${f(a)} ${ip} ${f(b)} ${f(a)} 404 0 2 15`,
    );
  });

  it('litespeed error log: user names and the WebAdmin console fields after the connection', () => {
    check(
      'auto',
      (ip, u, p) =>
        `2024-06-14 20:00:00.123456 [NOTICE] [1] [${ip}:5:HTTP2-1#_AdminVHost] [STDERR] [WebAdmin Console] Failed Login Attempt - username:${u} ip:${FAKE} url:${p}`,
    );
    check('auto', (ip, u) => `2024-06-14 20:00:00.123456 [INFO] [1] [${ip}:5-1#x] User '${u}' failed to authenticate.`);
  });

  it('nginx-error: user name, request, host and referrer', () => {
    check(
      'nginx-error',
      (ip, u, r) =>
        `2024/06/14 20:00:00 [error] 1#1: *1 user "${u}": password mismatch, client: ${ip}, server: x, request: "GET / HTTP/1.1", host: "x", referrer: "${r}"`,
    );
    check(
      'auto',
      (ip, u) =>
        `2024/06/14 20:00:00 [error] 1#1: *1 user "${u}" was not found in "/etc/nginx/.htpasswd", client: ${ip}, server: x, request: "GET /${u} HTTP/1.1", host: "x"`,
    );
  });

  // Apache 2.4 writes an IPv6 client unbracketed, port last: the port is the client's choice
  // and must not become the address's last group.
  it('apache-error: an IPv6 client and its port', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 0, max: 65535 }), attacker, (ip, port, u) => {
        for (const format of ['apache-error', 'auto']) {
          const parse = createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
          const line = `[Fri Jun 14 21:00:00.1 2024] [auth_basic:error] [pid 1] [client ${ip}:${port}] AH01618: user ${u} not found: /`;
          const got = parse(line)?.event['source.ip'];
          if (got !== undefined) expect(got, line).toBe(ipaddr.process(ip).toString());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('apache-error: user names and paths in the message', () => {
    check(
      'apache-error',
      (ip, u, p) =>
        `[Fri Jun 14 21:00:00.1 2024] [auth_basic:error] [pid 1] [client ${ip}:5] AH01618: user ${u} not found: /${p}, referer: ${p}`,
    );
    check(
      'auto',
      (ip, u, p) =>
        `[Fri Jun 14 21:00:00.1 2024] [core:error] [pid 1] [client ${ip}:5] AH00126: Invalid URI in request GET /${u} HTTP/1.1 ${p}`,
    );
    check(
      'auto',
      (ip, u) => `[Fri Jun 14 21:00:00.1 2024] [core:error] [pid 1] [client ${ip}:5] AH10244: invalid URI path (/${u})`,
    );
  });

  it('dovecot, mysqld, postfix: user names', () => {
    check(
      'dovecot',
      (ip, u) =>
        `${SYSLOG} dovecot: imap-login: Disconnected (auth failed, 1 attempts): user=<${u}>, method=PLAIN, rip=${ip}, lip=192.0.2.1, TLS`,
    );
    check(
      'dovecot',
      (ip, u) =>
        `${SYSLOG} dovecot: auth-worker(1): pam(${u},${ip},<s>): pam_authenticate() failed: Authentication failure (password mismatch?)`,
    );
    // Dovecot 2.4: the ids follow the parenthesis, then the request number and the passdb name.
    check(
      'dovecot',
      (ip, u) =>
        `${SYSLOG} dovecot[1]: auth-worker(${u},${ip})<1><s>: request [2]: pam: pam_authenticate() failed: Authentication failure (Password mismatch?)`,
    );
    check(
      'mysqld',
      (ip, u) => `2024-06-14T16:00:00.1Z 1 [Note] Access denied for user '${u}'@'${ip}' (using password: YES)`,
    );
    // The server's lines under the service's name (`mysql[pid]`).
    check(
      'auto',
      (ip, u) =>
        `${SYSLOG} mysql[1]: 2024-06-14T16:00:00.1Z 1 [Note] Access denied for user '${u}'@'${ip}' (using password: YES)`,
    );
    check(
      'postfix',
      (ip, u) => `${SYSLOG} postfix/smtpd[1]: warning: unknown[${ip}]: SASL LOGIN authentication failed: ${u}`,
    );
    check('postfix', (ip, u) => `${SYSLOG} postfix/smtpd[1]: warning: non-SMTP command from unknown[${ip}]: ${u}`);
    check(
      'sendmail',
      (ip, u) =>
        `${SYSLOG} sendmail[1]: 06I02CNi016764: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=${u}, relay=[${ip}]`,
    );
    check(
      'sendmail',
      (ip, a, r) =>
        `${SYSLOG} sm-mta[1]: s1P819mk027713: ruleset=check_rcpt, arg1=<${a}>, relay=[${ip}], reject=550 5.7.1 <${a}>... ${r}`,
    );
    check('sendmail', (ip, a) => `${SYSLOG} sm-mta[1]: s1NKIkZa093301: [${ip}]: VRFY ${a} [rejected]`);
    check('syslog', (ip, u) => `${SYSLOG} imapd: LOGIN FAILED, user=${u}, ip=[::ffff:${ip}]`);
    check(
      'auto',
      (ip, u, p) =>
        `2023-03-06 15:13:32.685002 96.83% [WARNING] sofia_reg.c:3223 SIP auth failure (INVITE) on sofia profile '${p.replace(/'/g, '')}' for [${u}] from ip ${ip}`,
    );
    check('auto', (ip, u) => `2013-12-31 17:39:54.767815 [WARNING] sofia_reg.c:2531 Can't find user [${u}] from ${ip}`);
    check('auto', (ip, u) => `2020-04-09T14:04:00.667Z: Failed Login: username=${u} ip=${ip}`);
    check('auto', (ip, u, m) => `${SYSLOG} pvedaemon[3483744]: authentication failure; rhost=${ip} user=${u} msg=${m}`);
    const nextcloud = (ip: string, u: string, p: string) =>
      JSON.stringify({
        reqId: 'U1rsiIxFtovEqTt77CJN',
        level: 2,
        time: '2022-01-16T15:42:37+00:00',
        remoteAddr: ip,
        user: '--',
        app: 'no app in context',
        method: 'POST',
        url: p,
        message: `Login failed: ${u} (Remote IP: ${ip})`,
        userAgent: p,
        version: '23.0.0.10',
      });
    check('auto', nextcloud);
    check(
      'auto',
      (ip, u, p) =>
        `[Sun Mar 28 16:59:14.150625 2021] [php7:notice] [pid 11336] [client ${ip}:39654] ERR [Login denied for user "${u}"], referer: https://zm/zm/?${p.replace(/\s/g, '')}`,
    );
    check(
      'auto',
      (ip, u) =>
        `2015-03-19 13:57:35.805 [info] <0.585.0>@ejabberd_c2s:wait_for_sasl_response:965 ({socket_state,p1_tls,{tlssock,#Port<0.6434>,#Port<0.6436>},<0.584.0>}) Failed authentication for ${u} from ${ip}`,
    );
    check(
      'auto',
      (ip, u) =>
        `2017-07-29 08:24:04.773 [info] <0.6668.0>@ejabberd_c2s:handle_auth_failure:433 (http_bind|ejabberd_bosh) Failed c2s PLAIN authentication for ${u} from ::FFFF:${ip}: Invalid username or password`,
    );
    check(
      'auto',
      (ip, u, p) =>
        `${SYSLOG} drupal-site: https://example.com|1613063581|user|${ip}|https://example.com/user/login?q=${p}|${p}|0||Login attempt failed for ${u}.`,
    );
    check('auto', (ip, u) => `${SYSLOG} system,error,critical login failure for user ${u} from ${ip} via winbox`);
    check(
      'auto',
      (ip, u) =>
        `2023-03-19T12:34:09.757188+01:00 10.120.127.1 system,info,account user ${u} logged in from ${ip} via ssh`,
    );
    check(
      'auto',
      (ip, u) =>
        `Mar 24 08:58:32 sogod [26818]: SOGoRootPage Login from '${ip}' for user '${u}' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0`,
    );
    // Kerio Connect: sender and recipient are the client's text, before the address that ends the record.
    check(
      'auto',
      (ip, a, b) =>
        `[17/Jun/2024 17:00:45] Attempt to deliver to unknown recipient <${a}>, from <${b}>, IP address ${ip}`,
    );
    check(
      'auto',
      (ip, u) => `2024-06-14 09:00:00   SMTP Server: Authentication failed for user ${u} ; connecting host ${ip}`,
    );
    // Self-hosted applications' own logs (webapps/self-hosted.ts): the user name is the client's text.
    for (const line of Object.values(selfHostedLines(Date.UTC(2024, 5, 15, 11))))
      check('auto', (ip, u) => line(0, ip, u));
    for (const line of Object.values(syslogAppLines(() => 'Jun 14 09:00:00'))) check('auto', (ip, u) => line(0, ip, u));
    // Access logs whose client comes before the request and agent (web/alb.ts, web/zoraxy.ts, couchdb/log.ts).
    check(
      'auto',
      (ip, a, p) =>
        `https 2024-06-14T09:00:00.186641Z app/web/490d68edf04676fe ${ip}:44740 10.0.0.1:80 0.086 0.048 0.037 404 404 0 57 "GET https://www.example.com:443/${p} HTTP/1.1" "${a}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "${a}" "-" 1 2024-06-14T09:00:00.000000Z "forward" "-" "-" "10.0.0.1:80" "404" "-" "-"`,
    );
    check(
      'auto',
      (ip, a, p) =>
        `2024/06/14 09:00:00 [2024-06-14 09:00:00.417736] [router:root-no_resp] [origin:${p}] [client: ${ip}] [useragent: ${a}] GET /${p} 404`,
    );
    check(
      'auto',
      (ip, u, p) =>
        `[notice] 2024-06-14T09:00:00.579985Z nonode@nohost <0.17607.12> e1fed412f8 ${p} ${ip} ${u} POST /_session${p} 401 ok 1`,
    );
    // amavis' verdicts (amavis/handler.ts): the client brackets before the sender the client writes.
    check(
      'auto',
      (ip, u) =>
        `${SYSLOG} amavis[4051]: (04051-09) Blocked INFECTED (Eicar) {DiscardedInbound}, [127.0.0.1]:41434 [${ip}] <${u}> -> <${u}>, Queue-ID: 83B7, size: 1, 1 ms`,
    );
    // A BANNED verdict lists the attachments' names, the author's text, before the brackets.
    check(
      'auto',
      (ip, f, u) =>
        `${SYSLOG} amavis[4051]: (04051-09) Blocked BANNED (multipart/mixed | application/zip,.zip,${f} | .exe,${f}) {DiscardedInbound}, [127.0.0.1]:41434 [${ip}] <${u}> -> <${u}>, Queue-ID: 83B7, size: 1, 1 ms`,
    );
    // Coraza's matches in Caddy's JSON log (web/caddy-waf.ts): the client first, the request after.
    check('auto', (ip, a, u) =>
      JSON.stringify({
        level: 'warn',
        ts: 1718355600.5,
        logger: 'http.handlers.waf',
        msg: `[client "${ip}"] Coraza: Warning. ${a} [file "x.conf"] [id "942100"] [data "${a}"] [severity "critical"] [uri "/${u}"]`,
      }),
    );
    // Squid's access.log (squid/access.ts): the client its third field, the URL and user after it.
    check(
      'auto',
      (ip, u, p) => `1718355600.123      4 ${ip} TCP_DENIED/403 3722 GET http://${p} ${u} HIER_NONE/- text/html`,
    );
    // The same programs under systemd (syslog/dispatch.ts). A CouchDB record that does not read
    // stays a plain syslog event, with no address.
    fc.assert(
      fc.property(realIp, attacker, attacker, (ip, u, p) => {
        const parse = createParser('auto', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
        const line = `${SYSLOG} couchdb[51]: [notice] 2024-06-14T09:00:00.579985Z nonode@nohost <0.17607.12> e1fed412f8 ${p} ${ip} ${u} POST /_session${p} 401 ok 1`;
        const got = parse(line)?.event['source.ip'];
        if (got !== undefined) expect(got, line).toBe(ip);
        return true;
      }),
      { numRuns: 400 },
    );
    check(
      'auto',
      (ip, u) =>
        `${SYSLOG} wings[77]: WARN: [Jun 14 09:00:00.643] failed to validate user credentials (invalid format) ip=${ip}:28050 subsystem=sftp username=${u}`,
    );
    // Windows XML events with the client's text left unescaped: a field named twice drops the line.
    check(
      'auto',
      (ip, u, w) =>
        `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing" /><EventID>4625</EventID><TimeCreated SystemTime="2024-06-15T09:00:01.9027913Z" /></System><EventData><Data Name="TargetUserName">${u}</Data><Data Name="WorkstationName">${w}</Data><Data Name="IpAddress">${ip}</Data></EventData></Event>`,
    );
    // Cowrie: the transport's address column comes before the credentials the client sent.
    check(
      'auto',
      (ip, u, w) =>
        `${SYSLOG} cowrie[1]: 2024-06-14T09:00:00+0000 [HoneyPotSSHTransport,0,${ip}] login attempt [b'${u}'/b'${w}'] failed`,
    );
    check(
      'auto',
      (ip, u, w) => `2024-06-14T09:00:00.000000Z [HoneyPotTelnetSession,0,${ip}] login attempt [${u}/${w}] succeeded`,
    );
    // Guacamole: the address before the user name in a refusal, after it in a login.
    const guac = '12:57:32.907 [http-nio-8080-exec-1] INFO  o.a.g.r.auth.AuthenticationService - ';
    check('auto', (ip, u) => `${guac}User "${u}" successfully authenticated from [${ip}, 127.0.0.1].`);
    check('auto', (ip, u) => `${guac}Authentication attempt from ${ip} for user "${u}" failed.`);
    check(
      'auto',
      (ip, u, p) =>
        `2021-03-03 19:52:08,616 INFO  [qtp93314457-137:https://mail.example.org:7071/service/admin/soap/AuthRequest] [name=${u};oip=${ip};port=52016;ua=${p};soapId=9fd8101;] SoapEngine - handler exception: authentication failed for [${u}], invalid password`,
    );
    check('auto', (ip, u, p) =>
      JSON.stringify({
        ei: 0,
        event: 'user.login',
        uid: 'a487975c',
        code: 'T1000W',
        time: '2023-09-05T07:16:25.133Z',
        cluster_name: 'teleport.example.com',
        user: u,
        success: false,
        error: 'invalid username, password or second factor',
        method: 'local',
        user_agent: p,
        'addr.remote': `${ip.includes(':') ? `[${ip}]` : ip}:34204`,
      }),
    );
    check(
      'auto',
      (ip, u, p) =>
        `2022-08-11 01:37:55.287 WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${u} (${ip}). Requested URL: '${p}'. (${p})`,
    );
    check(
      'auto',
      (ip, u, p) =>
        `2023-05-25 22:24:19,357 WARN  [org.keycloak.events] (executor-thread-3121) type=LOGIN_ERROR, realmId=master, clientId=${p}, userId=null, ipAddress=${ip}, error=user_not_found, redirect_uri=${p}, username=${u}, authSessionParentId=x`,
    );
    check('auto', (ip, u, p) => `${SYSLOG} Nextcloud[812]: ${nextcloud(ip, u, p)}`);
    check(
      'auto',
      (ip, u, m) => `2026-02-25T11:07:18+01:00: authentication failure; rhost=[::ffff:${ip}]:47414 user=${u} msg=${m}`,
    );
    check(
      'auto',
      (ip, u, e) =>
        `logger=context userId=0 orgId=0 uname=${JSON.stringify(u)} t=2023-05-01T10:00:00.000+02:00 level=error msg="Invalid username or password" error=${JSON.stringify(e)} remote_addr=${ip} traceID=`,
    );
    check(
      'auto',
      (ip, u) =>
        `[2023-01-01 12:00:00.123][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: ${ip}. Username: ${u}.`,
    );
    check(
      'auto',
      (ip, u, e) =>
        `2018-06-01T12:00:00.000+0000 I ACCESS   [conn6] SASL SCRAM-SHA-1 authentication failed for ${u} on admin from client ${ip}:5678 ; ${e}`,
    );
    check('json', (ip, u, d) =>
      JSON.stringify({
        t: { $date: '2022-07-28T18:00:00.903+02:00' },
        s: 'I',
        c: 'ACCESS',
        id: 20249,
        ctx: 'conn1',
        msg: 'Authentication failed',
        attr: {
          mechanism: 'SCRAM-SHA-256',
          principalName: u,
          authenticationDatabase: d,
          remote: `${ip}:4071`,
          error: u,
        },
      }),
    );
    check('syslog', (ip, u) => `${SYSLOG} webmin[1]: Invalid login as ${u} from ${ip}`);
    // UW IMAP, solid-pop3d: the client's user (and authentication) names before the address.
    check('syslog', (ip, u, a) => `${SYSLOG} imapd[1]: Login failed user=${u} auth=${a} host=h.example [${ip}]`);
    check('auto', (ip, u) => `${SYSLOG} ipop3d[1]: Login excessive login failures user=${u} auth=${u} host=[${ip}] `);
    check('auto', (ip, u) => `${SYSLOG} imapd[1]: Failed uwmaster override of user=${u}  host=h.example [${ip}]`);
    check('syslog', (ip, u) => `${SYSLOG} solid-pop3d[1]: authentication failed: no such user: ${u} - ${ip}`);
    check('auto', (ip, u) => `${SYSLOG} solid-pop3d[1]: APOP authentication failed for user ${u} - ${ip}`);
    // perdition names the connection first; qmail's rblsmtpd the client first.
    check(
      'syslog',
      (ip, u, s) =>
        `${SYSLOG} perdition.imaps[1]: Auth: ${ip}:2274->192.0.2.9:993 client-secure=ssl authorisation_id=NONE authentication_id="${u}" server="${s}" protocol=IMAP4S server-secure=ssl status="failed: Re-Authentication Failure"`,
    );
    check(
      'auto',
      (ip, t) => `${SYSLOG} qmail: 1157520813.485077 rblsmtpd: ${ip} pid 19597 sbl-xbl.spamhaus.org: 451 ${t}`,
    );
    // xinetd's and NRPE's records hold no client text: the service id comes from the configuration.
    check('auto', (ip) => `${SYSLOG} xinetd[1]: FAIL: telnet address from=${ip}`);
    check('syslog', (ip) => `${SYSLOG} nrpe[1]: Host ${ip} is not allowed to talk to us!`);
    // NSD names the zone the client asked for before the client's address.
    check(
      'auto',
      (ip, z) => `[1387348935] nsd[23600]: info: axfr for zone ${z} from client ${ip} refused, no acl matches.`,
    );
    check('syslog', (ip, z) => `${SYSLOG} nsd[1]: info: axfr for ${z} from ${ip} refused, no acl matches`);
    check(
      'auto',
      (ip, z) =>
        `[2021-03-05 05:25:14.562] nsd[1]: info: ratelimit block ${z} type any target 192.0.2.0/24 query ${ip} TYPE255`,
    );
    // Murmur writes the user name the client sent before the address; stunnel's records hold no client text.
    check(
      'auto',
      (ip, u, r) =>
        `<W>2015-11-29 16:38:01.818 1 => <4:${u}(-1)> Rejected connection from ${ip}:29530: ${r.length % 2 === 0 ? 'Invalid server password' : 'Server is full'}`,
    );
    check(
      'syslog',
      (ip, u) =>
        `${SYSLOG} murmurd[2064]: <W>2019-09-08 13:00:05.615 1 => <10:${u}(-1)> Rejected connection from ${ip}:31752: Wrong certificate or password for existing user`,
    );
    check(
      'auto',
      (ip) =>
        `2011.11.21 14:29:16 LOG3[28228:140093368055552]: SSL_accept from ${ip}:33454 : 140890C7: error:140890C7:SSL routines:SSL3_GET_CLIENT_CERTIFICATE:peer did not return a certificate`,
    );
    // phpMyAdmin writes the typed user name before the address.
    check('syslog', (ip, u) => `${SYSLOG} phpMyAdmin[1]: user denied: ${u} (mysql-denied) from ${ip}`);
    check('auto', (ip, u) => `${SYSLOG} phpMyAdmin[1]: user accepted: ${u} from ${ip}`);
    check('auto', (ip) => `${SYSLOG} wu-ftpd[1]: failed login from client.example.net [${ip}]`);
    check('auto', (ip) => `${SYSLOG} ftpd[1]: repeated login failures from ${ip} (client.example.net)`);
    check(
      'syslog',
      (ip, u) =>
        `${SYSLOG} timsieved[1]: badlogin: client.example.net[${ip}] PLAIN ${u.replace(/\s/g, '')} authentication failure`,
    );
    // PortSentry names a scanner NAME/ADDR, NAME its reverse lookup (the scanner's own DNS).
    check(
      'syslog',
      (ip, n) => `${SYSLOG} portsentry[1]: attackalert: SYN/Normal scan from host: ${n}/${ip} to TCP port: 22`,
    );
    check('auto', (ip, n) => `1403884279 - 06/27/2014 17:51:19 Host: ${n}/${ip} Port: 1 TCP Blocked`);
    check(
      'auto',
      (ip) => `${SYSLOG} scanlogd: ${ip}:4444 to 192.0.2.1 ports 80, 81, ..., f????uxy, TOS 00, TTL 49 @20:44:43`,
    );
    check('auto', (ip, u) => `${SYSLOG} usermin[1]: Non-existent login as ${u} from ${ip} `);
    check(
      'auto',
      (ip, p, u) => `2021-09-30 16:05:33: (mod_auth.c.828) password doesn't match for ${p} username: ${u}, IP: ${ip}`,
    );
    check(
      'auto',
      (ip, u) => `2021-09-30 17:44:37: (mod_auth.c.791) digest: auth failed for  ${u} : wrong password, IP: ${ip}`,
    );
    check(
      'syslog',
      (ip, u) => `${SYSLOG} monit[5731]: HttpRequest: access denied -- client ${ip}: wrong password for user '${u}'`,
    );
    check(
      'auto',
      (ip, u) => `[CEST Aug  6 10:14:52] error    : HttpRequest: access denied -- client [${ip}]: unknown user '${u}'`,
    );
    check(
      'syslog',
      (ip, u, r) =>
        `${SYSLOG} haproxy[760]: ${ip}:58430 [14/Nov/2015:22:45:11.608] main main/<NOSRV> -1/-1/-1/-1/0 401 248 - - PR-- 0/0/0/0/0 0/0 {${r}} "GET /${u} HTTP/1.1"`,
    );
    check('syslog', (ip, u, p) => `${SYSLOG} imapd-ssl: LOGIN FAILED, user=${u}, ip=[${ip}], port=[${p.length}]`);
    check(
      'syslog',
      (ip, f, t) => `${SYSLOG} courieresmtpd: error,relay=::ffff:${ip},from=<${f}>,to=<${t}>: 550 User unknown.`,
    );
    check('syslog', (ip, c) => `${SYSLOG} courieresmtpd: error,relay=${ip},msg="535 Authentication failed.",cmd: ${c}`);
    check('syslog', (ip, u, r) => `${SYSLOG} cyrus/imap[5]: badlogin: host.example [${ip}] plaintext ${u} ${r}`);
    check('syslog', (ip, u) => `${SYSLOG} imap[5]: badlogin: [${ip}] PLAIN [SASL(-13): ${u}]`);
    check(
      'postfix',
      (ip, u) => `${SYSLOG} postfix/smtpd[1]: 4BqZ7R: client=unknown[${ip}], sasl_method=PLAIN, sasl_username=${u}`,
    );
  });

  // ProFTPD's `(NAME[IP])` group and Pure-FTPd's `(?@IP)` come before anything the client sent;
  // vsftpd's user name comes before `Client "IP"` and its FTP commands after it.
  // slapd names the client in the connection's ACCEPT only; the dn of a bind is the client's text.
  it('slapd: bind dn and SASL names', () => {
    for (const format of ['syslog', 'auto'] as const) {
      checkSession(format, (ip, dn, x) => [
        `${SYSLOG} slapd[1183]: conn=1022 fd=21 ACCEPT from IP=${ip}:45011 (IP=0.0.0.0:389)`,
        `${SYSLOG} slapd[1183]: conn=1022 op=1 BIND dn="${dn}" method=128`,
        `${SYSLOG} slapd[1183]: conn=1022 op=1 RESULT tag=97 err=49 text=${x}`,
      ]);
      checkSession(format, (ip, dn) => [
        `${SYSLOG} slapd[7]: conn=5 fd=12 ACCEPT from IP=[::ffff:${ip}]:45011 (IP=[::]:636)`,
        `${SYSLOG} slapd[7]: conn=5 op=0 BIND dn="" method=163`,
        `${SYSLOG} slapd[7]: conn=5 op=0 BIND authcid="${dn}" authzid="${dn}"`,
        `${SYSLOG} slapd[7]: conn=5 op=0 RESULT tag=97 err=49 qtime=0.000010 etime=0.000227 text=SASL(-13): user not found`,
      ]);
    }
  });

  // strongSwan names the peer in an IKE_SA's packet records only; identities are the client's text.
  it("strongswan: EAP and XAuth identities, the peer from the IKE_SA's packets", () => {
    for (const format of ['syslog', 'auto'] as const) {
      checkSession(format, (ip, u, x) => [
        `${SYSLOG} charon[3253]: 06[NET] <rw|83> received packet: from ${ip}[4500] to 192.0.2.1[4500] (144 bytes)`,
        `${SYSLOG} charon[3253]: 06[IKE] <rw|83> EAP-MS-CHAPv2 username: '${u}'`,
        `${SYSLOG} charon[3253]: 06[IKE] <rw|83> XAuth authentication of '${x}' failed`,
        `${SYSLOG} charon[3253]: 06[IKE] <rw|83> EAP-MS-CHAPv2 verification failed, retry (1)`,
      ]);
      checkSession(format, (ip, u) => [
        `${SYSLOG} charon[3253]: 08[IKE] <con2|9> XAuth authentication of '${u}' failed`,
        `${SYSLOG} charon[3253]: 08[NET] <con2|9> sending packet: from 192.0.2.1[4500] to ${ip}[28821] (128 bytes)`,
      ]);
    }
  });

  it('proftpd, vsftpd, pure-ftpd: user names, commands and anonymous passwords', () => {
    for (const format of ['auto', 'proftpd', 'vsftpd', 'pure-ftpd'] as const) {
      const proftpd = (ip: string) => `${SYSLOG} proftpd[1]: web1 (host.example[::ffff:${ip}]) - `;
      check(format, (ip, u) => `${proftpd(ip)}USER ${u}: no such user found from x [${ip}] to 192.0.2.1:21`);
      check(format, (ip, u, r) => `${proftpd(ip)}USER ${u} (Login failed): ${r}`);
      check(format, (ip, u) => `${proftpd(ip)}USER ${u}: Login successful.`);
      check(
        format,
        (ip, u) =>
          `2013-11-16 21:59:30,121 web1 proftpd[2] localhost (andy[${ip}]): USER ${u}: no such user found from ${u} [${FAKE}] to ::ffff:192.0.2.1:21`,
      );
      const vsftpd = 'Sun Jan 10 12:00:00 2021 [pid 1234]';
      check(format, (ip, u) => `${vsftpd} [${u}] FAIL LOGIN: Client "${ip}"`);
      check(format, (ip, u, r) => `${vsftpd} [${u}] FAIL LOGIN: Client "::ffff:${ip}", "${r}"`);
      check(format, (ip, u, c) => `${vsftpd} [${u}] FTP command: Client "${ip}", "${c}"`);
      check(format, (ip, u) => `${vsftpd} [${u}] FTP response: Client "${ip}", "530 Permission denied."`);
      check(format, (ip, _u, p) => `${vsftpd} [ftp] OK LOGIN: Client "${ip}", anon password "${p}"`);
      check(format, (ip, u, c) => `${SYSLOG} vsftpd[1]: [${u}] FTP command: Client "${ip}", "${c}"`);
      check(format, (ip, u) => `${SYSLOG} pure-ftpd: (?@${ip}) [WARNING] Authentication failed for user [${u}]`);
      check(format, (ip, u) => `${SYSLOG} pure-ftpd: (?@${ip}) [INFO] ${u}`);
    }
  });

  it('exim: HELO, sender, recipient, set_id, commands, rejection texts and Message-ID', () => {
    const T = '2024-06-14 09:00:00';
    check(
      'exim',
      (ip, a, b) =>
        `${T} dovecot_login authenticator failed for (${a}) [${ip}]:4000: 535 Incorrect authentication data (set_id=${b})`,
    );
    check('exim', (ip, a, b) => `${T} H=(${a}) [${ip}]:4000 F=<${b}> rejected RCPT <${b}>: ${a}`);
    check('exim', (ip, a, b) => `${T} H=x.example (${a}) [${ip}] sender verify fail for <${b}>: ${a}`);
    check('exim', (ip, a, b) => `${T} 1oIc1A-0002Qx-Tb <= ${a} H=(x) [${ip}]:4000 P=esmtpsa A=plain:${b} S=1 id=${b}`);
    check(
      'exim',
      (ip, a, b) => `${T} 1oIc1A-0002Qx-Tb F=<${a}> H=(${b}) [${ip}] P=esmtp rejected by local_scan(): ${a}`,
    );
    check('exim', (ip, a) => `${T} SMTP protocol error in "${a}" H=(x) [${ip}] AUTH command used when not advertised`);
    check(
      'exim',
      (ip, a, b) =>
        `${T} [12] SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected "${a}" H=(x) [${ip}]:4000 I=[10.0.0.1]:25 next input="${b}"`,
    );
    check(
      'exim',
      (ip, a, b) => `${T} SMTP call from (${a}) [${ip}]:4000 dropped: too many nonmail commands (last was "${b}")`,
    );
    check(
      'exim',
      (ip, a, b) =>
        `${T} 1VxHRO-000NiI-Ly SA: Action: silently tossed message: score=31.0 required=5.0 (scanned in 6/6 secs | Message-Id: ${a}). From <${b}> (host=x [${ip}]) for ${a}`,
    );
    check('auto', (ip, a, b) => `${T} H=(${a}) [${ip}]:4000 F=<${b}> rejected RCPT <${b}>: ${a}`);
    check('syslog', (ip, a, b) => `${SYSLOG} exim[1]: H=(${a}) [${ip}] F=<${b}> rejected MAIL <${b}>: ${a}`);
  });

  // A packet record is read from a program without a handler only when it is the whole message
  // (ulogd's LOGEMU lines); text an application logs cannot forge one part-way.
  it("syslog: a packet record inside another program's message is not a firewall event", () => {
    fc.assert(
      fc.property(
        attacker.filter((a) => a.trim() !== ''),
        (a) => {
          const parse = createParser('syslog', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
          const line = `${SYSLOG} myapp[9]: ${a} IN=eth0 OUT= MAC= SRC=${FAKE} DST=192.0.2.1 LEN=44 PROTO=TCP SPT=1 DPT=22 SYN URGP=0`;
          const r = parse(line);
          expect(r?.event['source.ip'], line).not.toBe(FAKE);
        },
      ),
      { numRuns: 400 },
    );
  });

  // OpenVPN prints the peer first (`CN/IP:PORT` once the certificate is known): the common name
  // and a refused certificate's subject are the client's text.
  it('openvpn: common names and certificate subjects', () => {
    check(
      'auto',
      (ip, a) =>
        `2024-06-14 09:00:00 ${a}/${ip}:5000 TLS Auth Error: Auth Username/Password verification failed for peer`,
    );
    check(
      'auto',
      (ip, a) =>
        `${SYSLOG} ovpn-server[1]: ${a}/${ip}:5000 TLS Auth Error: Auth Username/Password verification failed for peer`,
    );
    check(
      'auto',
      (ip, a) => `2024-06-14 09:00:00 ${ip}:5000 VERIFY ERROR: depth=0, error=certificate has expired: CN=${a}`,
    );
    check('auto', (ip, a) => `Fri Jun 14 09:00:00 2024 ${ip}:5000 VERIFY ERROR: depth=1, error=${a}: CN=${a}`);
    check(
      'auto',
      (ip) =>
        `2024-06-14 09:00:00 ${ip}:5000 TLS Error: incoming packet authentication failed from [AF_INET]${ip}:5000`,
    );
  });

  // Axigen names a session's client once, when it accepts the connection; the user names, the
  // EHLO name in its SPF record and WebMail's user are the client's text.
  it('axigen: user names, EHLO names and WebMail users after the session is accepted', () => {
    const at = '2026-01-15 10:00:00 +0000 08 mail.example.org';
    checkSession('auto', (ip, a, b) => [
      `${at} SMTP-IN:0000a1: [192.0.2.10:587] connection accepted from [${ip}:50000]`,
      `${at} SMTP-IN:0000a1: SPF result for EHLO domain <${a}> connected from <${ip}>: None`,
      `${at} SMTP-IN:0000a1: Authentication error for user '${b}': invalid credentials`,
    ]);
    checkSession('auto', (ip, a) => [
      `${at} WEBMAIL:0000b2: [192.0.2.10:5443] connection accepted from [${ip}:61000]`,
      `${at} WEBMAIL:0000b2: <${a}> POST /api/v1/login/cookie HTTP/1.1 u=${a} code=401 time=100`,
    ]);
  });

  // pf's filterlog is all pf's own fields, read by position; the rule's tracker and interface
  // names are the administrator's. A record of another program is never read as one.
  it("filterlog: pf's packet record by position, only from filterlog", () => {
    check(
      'auto',
      (ip) =>
        `${SYSLOG} filterlog[1]: 5,,,1000000103,igb0,match,block,in,4,0x0,,51,1,0,none,6,tcp,44,${ip},192.0.2.1,41234,22,0,S,1,,1024,,mss`,
    );
    fc.assert(
      fc.property(attacker, (a) => {
        const parse = createParser('auto', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
        const line = `${SYSLOG} myapp[9]: 5,,,1,igb0,match,block,in,4,0x0,,51,1,0,none,6,tcp,44,${FAKE},192.0.2.1,1,22,0,S,${a}`;
        expect(parse(line)?.event['source.ip'], line).not.toBe(FAKE);
      }),
      { numRuns: 100 },
    );
  });

  // JSON escapes every quote, so the document's structure holds; what matters is that only the
  // proxy's peer field is read, never a forwarded header or the request itself.
  it('traefik and caddy JSON access logs: path, user agent, referrer and forwarded headers', () => {
    for (const format of ['json', 'auto'] as const) {
      check(format, (ip, a, b) =>
        JSON.stringify({
          ClientHost: ip,
          ClientUsername: a,
          RequestHost: b,
          RequestMethod: 'GET',
          RequestPath: `/${a}`,
          RequestProtocol: 'HTTP/1.1',
          DownstreamStatus: 404,
          StartUTC: '2024-06-14T20:00:04Z',
          'request_User-Agent': a,
          request_Referer: b,
          'request_X-Forwarded-For': FAKE,
          'request_X-Real-Ip': FAKE,
        }),
      );
      check(format, (ip, a, b) =>
        JSON.stringify({
          ts: 1718395205.75,
          logger: 'http.log.access',
          request: {
            remote_ip: ip,
            method: 'GET',
            host: b,
            uri: `/${a}`,
            headers: { 'User-Agent': [a], Referer: [b], 'X-Forwarded-For': [FAKE], Forwarded: [`for=${FAKE}`] },
          },
          status: 404,
        }),
      );
    }
  });

  // Self-hosted applications' refused logins: the name (and the reason that may repeat it) is the client's text.
  it('self-hosted logins: user names, reasons, URLs and the messages relayed by PHP', () => {
    check('auto', (ip) => `2023/02/21 08:05:56.233208 [error] POST ${ip} /control/login: invalid username or password`);
    check(
      'auto',
      (ip, u, r) =>
        `2022/03/01 12:57:58 ...ers/web/auth/auth.go:200:SignInPost() [I] Failed authentication attempt for ${u} from ${ip}:39522: ${r} [uid: 0, name: ${u}]`,
    );
    check(
      'auto',
      (ip, u) =>
        `2023-09-23 10:33:45: [error] App: 403: POST /api/sessions: ${ip}: Invalid username or password: ${JSON.stringify({ email: u })}`,
    );
    check(
      'auto',
      (ip, u, h) =>
        `[2026-02-05 12:34:56] local.WARNING: AUDIT: Login failed. Attempt for user "${u}" failed. (${ip} -> POST:https://${h.replace(/\s/g, '')}/login)`,
    );
    check(
      'auto',
      (ip, u) =>
        `[2026-03-06 23:45:12] local.INFO: AUDIT: MFA failure count is set to 1. (${ip} (${u}) -> POST:http://money.example.org/two-factor/submit)`,
    );
    check(
      'auto',
      (ip, u) =>
        `2022-06-20T09:52:17.637Z [warn][API]: Failed sign-in attempt using invalid Overseerr password ${JSON.stringify({ ip: `::ffff:${ip}`, email: u })}`,
    );
    check(
      'auto',
      (ip, u, p) =>
        `2022-06-20T09:52:34.281Z [info][Auth]: Failed login attempt from user with incorrect Jellyfin credentials ${JSON.stringify({ account: { ip, email: u, password: p } })}`,
    );
    check('auto', (ip) => `2022-02-11 14:07:54.110 +02:00 [Warning] Failed login attempt by IP: ${ip}`);
    check('auto', (ip, u) => `Failed login for user '${u}' from ${ip} at 2026-01-21 07:33:27`);
    // The same applications' lines as the message of a syslog record (Docker's syslog driver, journald).
    const lines = selfHostedLines(Date.UTC(2024, 5, 15, 11));
    for (const app of [
      'gitea',
      'authelia',
      'authelia-json',
      'authentik',
      'sftpgo',
      'uptime-kuma',
      'fireflyiii',
    ] as const)
      check('auto', (ip, u) => `${SYSLOG} ${app}[812]: ${lines[app](0, ip, u)}`);
    // RomM: the client's own X-Forwarded-For entries come first; the proxy in front appends the peer it saw.
    check(
      'auto',
      (ip, a) =>
        `INFO:     [RomM][nginx][2026-09-28 23:25:53] 172.18.0.13 | ${FAKE}, ${ip} | POST /api/login 401 | 43 | ${a.replace(/\|/g, '')} | 0.008`,
    );
    // Reached directly, the peer is the client (a peer in an internal range is taken for the proxy in front).
    check('auto', (ip) =>
      ipaddr.parse(ip).range() === 'unicast'
        ? `INFO:     [RomM][nginx][2026-09-28 23:25:53] ${ip} | ${FAKE} | POST /api/login 401 | 43 | x | 0.008`
        : `INFO:     [RomM][nginx][2026-09-28 23:25:53] 172.18.0.13 | ${FAKE}, ${ip} | POST /api/login 401 | 43 | x | 0.008`,
    );
    check('auto', (ip, u, a) =>
      JSON.stringify({
        method: 'POST',
        path: '/users/sign_in',
        controller: 'SessionsController',
        action: 'create',
        status: 0,
        time: '2022-04-15T12:58:36.195Z',
        params: [{ key: 'user', value: { login: u, password: '[FILTERED]' } }],
        'meta.client_id': `ip/${FAKE}`,
        remote_ip: ip,
        ua: a,
      }),
    );
    check(
      'auto',
      (ip) =>
        `2024/01/26 06:43:57.223387 [error] POST 127.0.0.1 /control/login: from ip ${ip}: invalid username or password`,
    );
    // Harbor: the client's own X-Forwarded-For entries come first in the list, Harbor's nginx adds the peer.
    check(
      'auto',
      (ip, u, a) =>
        `${SYSLOG} core[1160]: 2023-05-16T12:11:39Z [ERROR] [/server/middleware/security/basic_auth.go:72][client IP="${FAKE}, ${ip}, 172.18.0.1" requestID="x" user agent="${a}"]: failed to authenticate user:${u}, error:Failed to authenticate user, due to error 'Invalid credentials'`,
    );
    check('auto', (ip) => `[2022-02-05 11:55:04.725][vaultwarden::api::admin][ERROR] Invalid admin token. IP: ${ip}`);
    check(
      'auto',
      (ip, u, a) =>
        `miniflux  | time=2024-01-12T22:54:36.307Z level=WARN msg="Incorrect username or password" authentication_failed=true client_ip=${ip} user_agent=${JSON.stringify(a)} username=${JSON.stringify(u)} error=${JSON.stringify(`store: unable to find this user: ${u}`)}`,
    );
    check(
      'auto',
      (ip, u) =>
        `time="2022-02-14T13:47:54+02:00" level=error msg=${JSON.stringify(`Unsuccessful 1FA authentication attempt by user '${u}': user not found`)} method=POST path=/api/firstfactor remote_ip=${ip} stack="x"`,
    );
    check('auto', (ip, u) =>
      JSON.stringify({
        level: 'error',
        method: 'POST',
        msg: `Error occurred getting details for user with username input '${u}' which usually indicates they do not exist`,
        path: '/api/firstfactor',
        remote_ip: ip,
        time: '2025-03-13T13:39:05+02:00',
      }),
    );
    check('auto', (ip, u, p) =>
      JSON.stringify({
        action: 'login_failed',
        client_ip: ip,
        context: { http_request: { path: p }, username: u },
        event: 'Created Event',
        logger: 'authentik.events.models',
        timestamp: '2023-10-17T17:39:46.598288',
      }),
    );
    check('auto', (ip, u, e) =>
      JSON.stringify({
        level: 'debug',
        sender: 'connection_failed',
        client_ip: ip,
        username: u,
        protocol: 'SSH',
        error: e,
      }),
    );
    check('auto', (ip, u, e) =>
      JSON.stringify({
        logger: 'context',
        uname: u,
        t: '2024-02-07T09:33:35+02:00',
        msg: 'Unauthorized',
        error: `[password-auth.failed] ${e}`,
        remote_addr: ip,
      }),
    );
    check(
      'auto',
      (ip, u, r) =>
        `[Wed Jul 05 09:19:24.428126 2023] [proxy_fcgi:error] [pid 1:tid 2] [client ${ip}:55309] AH01071: Got error 'PHP message: user ${u} authentication failure for Baikal', referer: ${r.replace(/\s/g, '')}`,
    );
    check(
      'auto',
      (ip, u, h) =>
        `2023/09/23 09:58:51 [error] 298#298: *1093 FastCGI sent in stderr: "PHP message: Failed login for ${u}" while reading response header from upstream, client: ${ip}, server: _, request: "POST /login HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "${h.replace(/"/g, '')}"`,
    );
    // OpenVPN's CN is the client certificate's, issued by the server's own CA: a name, not free text.
    check(
      'auto',
      (ip, cn) =>
        `2024-12-15 14:14:22 ${cn.replace(/[^\w.@-]/g, '')}/${ip}:4532 TLS Auth Error: Auth Username/Password verification failed for peer`,
    );
    check(
      'auto',
      (ip) =>
        `2024-12-15 14:12:12 ${ip}:45321 TLS Error: incoming packet authentication failed from [AF_INET]${ip}:45321`,
    );
    check(
      'auto',
      (ip) => `${SYSLOG} ovpn-server[380]: TLS Error: tls-crypt unwrapping failed from [AF_INET]${ip}:55555`,
    );
  });
});
