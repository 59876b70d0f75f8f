import { namedLine } from '../named/handler.js';
import { createStream } from '../shared/stream.js';
import { defineParser } from '../define-parser.js';
import type { Family } from './dispatch.js';
import { createSyslogLineParser } from './line-parser.js';

function programFormat<const N extends string>(name: N, family: Family, description: string) {
  return defineParser({ name, description, create: (ctx) => createSyslogLineParser(ctx, family) });
}

export const syslogParser = defineParser({
  name: 'syslog',
  description: 'Syslog lines (RFC 3164/5424, journalctl short, <PRI> from a listener), dispatched on the program name',
  create: (ctx) => createSyslogLineParser(ctx),
});

export const sshdParser = programFormat(
  'sshd',
  'sshd',
  'OpenSSH sshd / sshd-session (auth.log, secure); other programs of the file too',
);
export const dropbearParser = programFormat('dropbear', 'dropbear', 'Dropbear SSH server');
export const sudoParser = programFormat('sudo', 'sudo', 'sudo commands, refusals and PAM records');
export const suParser = programFormat('su', 'su', 'su (util-linux and shadow-utils) and its PAM records');
export const pamParser = programFormat('pam', 'pam', 'PAM `authentication failure;` records of any program');
export const postfixParser = programFormat('postfix', 'postfix', 'Postfix smtpd/postscreen (SASL failures, rejects)');
export const sendmailParser = programFormat(
  'sendmail',
  'sendmail',
  'sendmail (sm-mta): failed AUTH, ruleset rejects, pre-greeting traffic, EXPN/VRFY probes',
);
export const dovecotParser = programFormat(
  'dovecot',
  'dovecot',
  'Dovecot login and auth processes (syslog, own log, multilog)',
);
export const namedParser = defineParser({
  name: 'named',
  description: 'BIND named client records (denied queries, transfers), through syslog or its own log file',
  create(ctx) {
    const syslog = createSyslogLineParser(ctx, 'named');
    const stream = createStream(ctx);
    // BIND's own channel file (`11-Aug-2013 03:36:11.372 client ...`) before syslog's forms.
    return (line) => namedLine(stream, line) ?? syslog(line);
  },
});
export const proftpdParser = programFormat(
  'proftpd',
  'proftpd',
  'ProFTPD: its SystemLog file (proftpd.log) and syslog records, logins refused and accepted',
);
export const pureFtpdParser = programFormat(
  'pure-ftpd',
  'pure-ftpd',
  'Pure-FTPd syslog records (failed and accepted logins)',
);
