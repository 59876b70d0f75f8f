/** Real Postfix log lines at second `s` after 04:00, for the smtp-* scenario tests (through `parsed`). */
function at(s: number): string {
  const h = 4 + Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `May 11 ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export const postfixLine = {
  sasl: (s: number, ip: string) =>
    `${at(s)} mx1 postfix/smtpd[26897]: warning: unknown[${ip}]: SASL LOGIN authentication failed: authentication failure`,
  saslOk: (s: number, ip: string, user = 'alice@example.org') =>
    `${at(s)} mx1 postfix/submission/smtpd[26898]: 4BqZ7R1x2Yz9vB: client=unknown[${ip}], sasl_method=PLAIN, sasl_username=${user}`,
  relay: (s: number, ip: string, code = '554 5.7.1') =>
    `${at(s)} mx1 postfix/smtpd[26897]: NOQUEUE: reject: RCPT from unknown[${ip}]: ${code} <x@example.net>: Relay access denied; from=<a@b.example> to=<x@example.net> proto=ESMTP helo=<WIN-1>`,
  unknownUser: (s: number, ip: string, rcpt = 'nobody@example.org') =>
    `${at(s)} mx1 postfix/smtpd[26897]: NOQUEUE: reject: RCPT from unknown[${ip}]: 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown in local recipient table; from=<a@b.example> to=<${rcpt}> proto=ESMTP helo=<x>`,
  greylisted: (s: number, ip: string) =>
    `${at(s)} mx1 postfix/smtpd[26897]: NOQUEUE: reject: RCPT from mail-wr1.example.com[${ip}]: 450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted; from=<news@example.com> to=<bob@example.org> proto=ESMTP helo=<mail-wr1.example.com>`,
  pipelining: (s: number, ip: string) =>
    `${at(s)} mx1 postfix/smtpd[26897]: improper command pipelining after CONNECT from unknown[${ip}]: EHLO x\\r\\n`,
  nonSmtp: (s: number, ip: string) =>
    `${at(s)} mx1 postfix/submission/smtpd[2634]: warning: non-SMTP command from unknown[${ip}]: GET / HTTP/1.1`,
};
