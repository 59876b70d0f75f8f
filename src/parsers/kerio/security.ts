import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { AUTHENTICATION, EMAIL, type Stream, TYPE_DENIED } from '../shared/stream.js';
import { digitsAt, monthAt } from '../shared/time.js';

/**
 * Kerio Connect's security log (security.log): `[17/Jun/2011 17:00:45] MESSAGE`. Each record is
 * read by its fixed first words; the client's text (addresses of sender and recipient, a user
 * name) comes after the address, or before an address that ends the record after fixed words.
 */
const IP = '[0-9A-Fa-f:.]+';
/** A record's pattern, `(@)` standing for the address group. */
const R = (s: string) => new RegExp(s.replaceAll('(@)', `(${IP})`));

type Kind = 'auth' | 'reject' | 'unknown_recipient' | 'pipelining' | 'protocol';
interface KerioRecord {
  readonly kind: Kind;
  readonly re: RegExp;
  /** Group of the address, of the protocol, of the user name, of the blocklist; the reason text. */
  readonly ip: number;
  readonly proto?: number;
  readonly user?: number;
  readonly rbl?: number;
  readonly reason?: string;
}

const RECORDS: readonly KerioRecord[] = [
  // Logins.
  { kind: 'auth', re: R(String.raw`^Failed (\w+) login from (@)(?: with SASL method [\w-]+)?\.?$`), ip: 2, proto: 1 },
  {
    kind: 'auth',
    re: R(String.raw`^([\w/]+): User (.*) doesn't exist\. Attempt from IP address (@)\.$`),
    ip: 3,
    proto: 1,
    user: 2,
  },
  {
    kind: 'auth',
    re: R(String.raw`^([\w/]+): Invalid password for user (.*)\. Attempt from IP address (@)\.$`),
    ip: 3,
    proto: 1,
    user: 2,
  },
  { kind: 'auth', re: R(String.raw`^Administration login into [\w ]+ from (@) failed: (.*)$`), ip: 1 },
  // SMTP refusals.
  {
    kind: 'unknown_recipient',
    re: R('^Attempt to deliver to unknown recipient <.*>, from <.*>, IP address (@)$'),
    ip: 1,
  },
  {
    kind: 'pipelining',
    re: R('^SMTP Spam attack detected from (@), client sent data before SMTP greeting$'),
    ip: 1,
  },
  {
    kind: 'protocol',
    re: R('^SMTP Spam attack detected from (@), client closed connection before SMTP greeting$'),
    ip: 1,
  },
  {
    kind: 'reject',
    re: R(String.raw`^IP address (@) found in DNS blacklist ([^,\s]+), mail from <.*`),
    ip: 1,
    rbl: 2,
    reason: 'blocklisted',
  },
  {
    kind: 'reject',
    re: R('^Relay attempt from IP address (@), mail from <.*> rejected$'),
    ip: 1,
    reason: 'relay attempt',
  },
  {
    kind: 'reject',
    re: R('^Client with IP address (@) has no reverse DNS entry, connection rejected before SMTP greeting$'),
    ip: 1,
    reason: 'no reverse DNS entry',
  },
  { kind: 'reject', re: R('^Message from IP address (@), sender <.*> rejected: (.*)$'), ip: 1 },
];

const ACTIONS: Record<Exclude<Kind, 'auth'>, string> = {
  reject: 'smtp_reject',
  unknown_recipient: 'smtp_unknown_recipient',
  pipelining: 'smtp_improper_command_pipelining',
  protocol: 'smtp_protocol_error',
};

/** `[17/Jun/2011 17:00:45] `: local time, or NaN. */
function stamp(line: string, stream: Stream): number {
  const d = digitsAt(line, 1, 2);
  const mo = monthAt(line, 4);
  const y = digitsAt(line, 8, 4);
  const h = digitsAt(line, 13, 2);
  const mi = digitsAt(line, 16, 2);
  const s = digitsAt(line, 19, 2);
  if (d < 1 || mo < 0 || y < 0 || h < 0 || mi < 0 || s < 0) return Number.NaN;
  return stream.local(y, mo, d, h, mi, s, 0);
}

function fill(ev: EcsEvent, r: KerioRecord, m: RegExpExecArray): boolean {
  if (!setSource(ev, m[r.ip]!)) return false;
  ev['event.outcome'] = 'failure';
  if (r.kind === 'auth') {
    ev['event.category'] = AUTHENTICATION;
    // An SMTP login is also what the SMTP scenarios count.
    ev['event.action'] = r.proto !== undefined && m[r.proto] === 'SMTP' ? 'smtp_auth_failure' : 'login_failure';
    const user = r.user === undefined ? undefined : m[r.user];
    if (user !== undefined && user.length > 0) ev['user.name'] = user;
    return true;
  }
  ev['event.category'] = EMAIL;
  ev['event.type'] = TYPE_DENIED;
  ev['event.action'] = ACTIONS[r.kind];
  if (r.kind !== 'pipelining' && r.kind !== 'protocol') ev['leuko.smtp.permanent'] = true;
  if (r.rbl !== undefined) ev['leuko.smtp.rbl'] = m[r.rbl]!;
  const reason = r.reason ?? m[2];
  if (reason !== undefined) ev['event.reason'] = reason;
  return true;
}

/** A line of Kerio Connect's security log; null when its address does not read; undefined for any other line. */
export function kerioLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(3) !== 47 || line.charCodeAt(7) !== 47 || line.charCodeAt(12) !== 32) return undefined;
  if (line.charCodeAt(21) !== 93 || line.charCodeAt(22) !== 32) return undefined;
  const time = stamp(line, stream);
  if (!Number.isFinite(time)) return undefined;
  const msg = line.slice(23);
  for (const r of RECORDS) {
    const m = r.re.exec(msg);
    if (m === null) continue;
    const ev = stream.event(line, time, 'kerio');
    return fill(ev, r, m) ? stream.done(ev, time) : null;
  }
  return undefined;
}
