import { LeukoError } from '../core/errors.js';
import type { LineParser, ParseContext, ParserDefinition } from '../core/parser.js';
import { auditdParser } from './auditd/format.js';
import { autoParser } from './auto/format.js';
import { vsftpdParser } from './ftp/format.js';
import { eximParser } from './exim/format.js';
import { jsonParser } from './json/format.js';
import { mysqldParser } from './mysqld/format.js';
import { postgresqlParser } from './postgresql/format.js';
import {
  dovecotParser,
  dropbearParser,
  namedParser,
  pamParser,
  postfixParser,
  proftpdParser,
  pureFtpdParser,
  sendmailParser,
  sshdParser,
  sudoParser,
  suParser,
  syslogParser,
} from './syslog/formats.js';
import { apacheErrorParser, apacheParser, nginxErrorParser, nginxParser } from './web/formats.js';

/**
 * Every log format Leuko reads, by the name used in config `format:` and `--format`.
 * Static and typed: `ParserName` is derived from it, so a typo is a compile error.
 */
export const parserRegistry = {
  auto: autoParser,
  syslog: syslogParser,
  sshd: sshdParser,
  dropbear: dropbearParser,
  sudo: sudoParser,
  su: suParser,
  pam: pamParser,
  postfix: postfixParser,
  exim: eximParser,
  sendmail: sendmailParser,
  dovecot: dovecotParser,
  mysqld: mysqldParser,
  postgresql: postgresqlParser,
  named: namedParser,
  proftpd: proftpdParser,
  vsftpd: vsftpdParser,
  'pure-ftpd': pureFtpdParser,
  nginx: nginxParser,
  apache: apacheParser,
  'nginx-error': nginxErrorParser,
  'apache-error': apacheErrorParser,
  json: jsonParser,
  auditd: auditdParser,
} satisfies Record<string, ParserDefinition>;

export type ParserName = keyof typeof parserRegistry;

export const parserNames: readonly string[] = Object.freeze(Object.keys(parserRegistry));

function isParserName(name: string): name is ParserName {
  return Object.hasOwn(parserRegistry, name);
}

/**
 * Create a line parser bound to one stream (its own year guess and sshd connection state).
 * The returned parser never throws: a line that breaks a parser is reported as not recognized.
 *
 * @example
 * const parse = createParser('auto', { clock: systemClock, logPath: '/var/log/auth.log' });
 * parse('Feb 12 14:10:21 web1 sshd[12]: Failed password for root from 203.0.113.9 port 22 ssh2');
 * // -> { time, event: { 'event.action': 'ssh_login', 'event.outcome': 'failure', 'source.ip': '203.0.113.9', ... } }
 * @throws LeukoError('UNKNOWN_PLUGIN') naming the known formats when `name` is unknown.
 */
export function createParser(
  name: string,
  ctx: ParseContext,
  extra?: ReadonlyMap<string, ParserDefinition>,
): LineParser {
  // Formats defined by the config (fail2ban jails: `fail2ban:<jail>`) come beside the registry.
  const dynamic = extra?.get(name);
  if (dynamic !== undefined) return guarded(dynamic.create(ctx));
  if (!isParserName(name)) {
    throw new LeukoError(
      'UNKNOWN_PLUGIN',
      `unknown log format "${name}"; known formats: ${[...parserNames, ...(extra?.keys() ?? [])].join(', ')}${
        name.startsWith('fail2ban:') ? ` (define a jail named ${name.slice(9)} under fail2ban.jails in the config)` : ''
      }`,
      {
        details: { name, known: [...parserNames, ...(extra?.keys() ?? [])] },
      },
    );
  }
  return guarded(parserRegistry[name].create(ctx));
}

function guarded(parse: LineParser): LineParser {
  const safe: LineParser = (line) => {
    try {
      return parse(line);
    } catch {
      return null;
    }
  };
  // The gate guards its own calls into the format's rules (see record-gate.ts).
  if (parse.records !== undefined) Object.assign(safe, { records: parse.records });
  const drain = parse.drain;
  if (drain !== undefined)
    safe.drain = () => {
      try {
        return drain();
      } catch {
        return [];
      }
    };
  const snapshot = parse.snapshot;
  if (snapshot !== undefined)
    safe.snapshot = () => {
      try {
        return snapshot();
      } catch {
        return undefined;
      }
    };
  const restore = parse.restore;
  if (restore !== undefined)
    safe.restore = (state) => {
      try {
        restore(state);
      } catch {
        // A snapshot from another version: read on from an empty parser, as before snapshots.
      }
    };
  return safe;
}

export type { ParsedLine } from '../core/event.js';
export type { LineParser, ParseContext, ParserDefinition } from '../core/parser.js';
