/**
 * One audit.log record: `type=T msg=audit(SECONDS.MS:SERIAL): key=value ...`, optionally
 * after `node=HOST ` (remote logging) or a syslog header (audispd, journald). Values are
 * kept as auditd wrote them plus whether they were quoted: auditd writes an untrusted string
 * quoted when it is plain and as unquoted hex when it holds spaces, quotes or control bytes.
 */
export interface AuditRecord {
  readonly type: string;
  /** Event time in ms. */
  readonly time: number;
  readonly serial: number;
  readonly node?: string;
  readonly fields: ReadonlyMap<string, AuditValue>;
  readonly line: string;
}

export interface AuditValue {
  readonly text: string;
  readonly quoted: boolean;
}

const HEAD = /(?:^|\s)(?:node=(\S+) )?type=([A-Z0-9_]+) msg=audit\((\d{1,12})(?:\.(\d{1,6}))?:(\d{1,20})\):\s?/;

/** Record fields are bounded: a line with more is an attack on memory, not an audit record. */
const MAX_FIELDS = 512;

function isKeyChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 45 ||
    c === 91 ||
    c === 93
  );
}

/**
 * Parse `key=value` pairs. A user-space record's `msg='op=... acct="x" res=failed'` is
 * opened and its pairs added as fields too (they are what USER_AUTH and USER_LOGIN carry).
 * Enriched logs append `\x1dARCH=x86_64 SYSCALL=execve AUID="root"`; the separator is
 * sometimes lost in transit, so an unquoted value that runs into `UPPER=` is split there.
 */
export function parseFields(body: string, into: Map<string, AuditValue>): void {
  let i = 0;
  const n = body.length;
  while (i < n && into.size < MAX_FIELDS) {
    let c = body.charCodeAt(i);
    if (c === 32 || c === 0x1d || c === 9) {
      i++;
      continue;
    }
    const ks = i;
    while (i < n && isKeyChar(body.charCodeAt(i))) i++;
    if (i === ks || body.charCodeAt(i) !== 61) {
      // Not a pair: skip the token.
      while (i < n && body.charCodeAt(i) !== 32) i++;
      continue;
    }
    const key = body.slice(ks, i);
    i++;
    c = body.charCodeAt(i);
    if (c === 34) {
      const end = body.indexOf('"', i + 1);
      const stop = end < 0 ? n : end;
      into.set(key, { text: body.slice(i + 1, stop), quoted: true });
      i = stop + 1;
    } else if (c === 39) {
      const end = body.indexOf("'", i + 1);
      const stop = end < 0 ? n : end;
      const inner = body.slice(i + 1, stop);
      into.set(key, { text: inner, quoted: true });
      if (key === 'msg') parseFields(inner, into);
      i = stop + 1;
    } else {
      const vs = i;
      while (i < n) {
        const d = body.charCodeAt(i);
        if (d === 32 || d === 0x1d || d === 9) break;
        i++;
      }
      let value = body.slice(vs, i);
      const glued = /[A-Z][A-Z0-9_]*=/.exec(value);
      if (glued && glued.index > 0) {
        i = vs + glued.index;
        value = value.slice(0, glued.index);
      }
      into.set(key, { text: value, quoted: false });
    }
  }
}

/**
 * Parse one line into a record, or null when it is not an audit record.
 * @example parseRecord('type=CWD msg=audit(1364481363.243:24287): cwd="/root"')?.serial // 24287
 */
export function parseRecord(line: string): AuditRecord | null {
  const m = HEAD.exec(line);
  if (!m) return null;
  const seconds = Number(m[3]);
  const frac = m[4] ?? '0';
  const ms = seconds * 1000 + Math.round(Number(`0.${frac}`) * 1000);
  const fields = new Map<string, AuditValue>();
  parseFields(line.slice(m.index + m[0].length), fields);
  return {
    type: m[2]!,
    time: ms,
    serial: Number(m[5]),
    ...(m[1] !== undefined ? { node: m[1] } : {}),
    fields,
    line,
  };
}

/** Decode auditd's hex encoding of an untrusted string (NULs between arguments become spaces). */
export function decodeHex(text: string): string | undefined {
  if (text.length === 0 || text.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(text)) return undefined;
  return Buffer.from(text, 'hex').toString('utf8');
}

/** An untrusted string field: quoted as is, unquoted hex decoded, `(null)` and `?` absent. */
export function stringValue(v: AuditValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.quoted) return v.text;
  if (v.text === '(null)' || v.text === '?' || v.text === '') return undefined;
  return decodeHex(v.text) ?? v.text;
}
