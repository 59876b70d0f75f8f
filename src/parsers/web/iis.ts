import type { ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { localDateTimeAt, utcTime } from '../shared/time.js';
import { fillAccess } from './access-event.js';

/**
 * IIS's W3C extended access log. Its `#Fields:` directive names the columns; until one is seen
 * (a file followed from its middle) the fields IIS 7 and later log by default are assumed:
 * `date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent)
 * cs(Referer) sc-status sc-substatus sc-win32-status time-taken`. Times are UTC, `-` is an empty
 * field, and IIS writes a space inside a field as `+`, so a line has exactly one word per
 * field: one more means a field was not IIS's, and the line is not read. The client is the
 * `c-ip` column, at a place no request text can move.
 */
const DEFAULT_FIELDS: readonly string[] = Object.freeze(
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken'.split(
    ' ',
  ),
);
const METHOD = /^[A-Za-z][A-Za-z_-]{0,31}$/;

/** Column positions of the fields the reader uses; undefined when a required one is missing. */
interface Layout {
  readonly count: number;
  readonly date: number;
  readonly time: number;
  readonly client: number;
  readonly method: number;
  readonly stem: number;
  readonly status: number;
  readonly query: number;
  readonly user: number;
  readonly agent: number;
  readonly referrer: number;
  readonly version: number;
  readonly host: number;
  readonly port: number;
}

function layoutOf(fields: readonly string[]): Layout | undefined {
  const at = (name: string) => fields.indexOf(name);
  const l: Layout = {
    count: fields.length,
    date: at('date'),
    time: at('time'),
    client: at('c-ip'),
    method: at('cs-method'),
    stem: at('cs-uri-stem'),
    status: at('sc-status'),
    query: at('cs-uri-query'),
    user: at('cs-username'),
    agent: at('cs(User-Agent)'),
    referrer: at('cs(Referer)'),
    version: at('cs-version'),
    host: at('cs-host'),
    port: at('s-port'),
  };
  return l.date < 0 || l.time < 0 || l.client < 0 || l.method < 0 || l.stem < 0 || l.status < 0 ? undefined : l;
}

const DEFAULT_LAYOUT = layoutOf(DEFAULT_FIELDS)!;

/** One stream's IIS reader: remembers the columns its last `#Fields:` directive named. */
export interface IisReader {
  /** A `#`-led directive line: `#Fields:` sets the columns. Undefined for any other line. */
  directive(line: string): null | undefined;
  line(stream: Stream, line: string): ParsedLine | undefined;
  /** The fields named by the last directive, for a checkpoint. */
  snapshot(): string[] | undefined;
  restore(fields: unknown): void;
}

export function createIisReader(): IisReader {
  let fields: string[] | undefined;
  let layout = DEFAULT_LAYOUT;
  const set = (f: string[]) => {
    const l = layoutOf(f);
    fields = l === undefined ? undefined : f;
    layout = l ?? DEFAULT_LAYOUT;
  };
  return {
    directive(line) {
      if (!line.startsWith('#Fields: ')) return undefined;
      set(
        line
          .slice(9)
          .trim()
          .split(' ')
          .filter((f) => f.length > 0)
          .slice(0, 64),
      );
      return null;
    },
    line: (stream, line) => iisLine(stream, line, layout),
    snapshot: () => fields,
    restore(f) {
      if (Array.isArray(f) && f.length <= 64 && f.every((x) => typeof x === 'string')) set(f as string[]);
    },
  };
}

function field(w: readonly string[], i: number): string | undefined {
  if (i < 0) return undefined;
  const v = w[i]!;
  return v === '-' ? undefined : v;
}

/** A line of IIS's W3C log in `layout`'s columns (the default ones when none is given). */
export function iisLine(stream: Stream, line: string, layout: Layout = DEFAULT_LAYOUT): ParsedLine | undefined {
  if (line.charCodeAt(4) !== 45 && layout.date === 0) return undefined;
  const w = line.split(' ');
  if (w.length !== layout.count) return undefined;
  const date = w[layout.date]!;
  const time = w[layout.time]!;
  const method = w[layout.method]!;
  const stem = w[layout.stem]!;
  const status = w[layout.status]!;
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return undefined;
  if (time.length !== 8 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return undefined;
  if (!METHOD.test(method) || stem.charCodeAt(0) !== 47 || !/^\d{3}$/.test(status)) return undefined;
  const port = field(w, layout.port);
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return undefined;
  // Without a directive, the server's own address in its default place confirms the layout.
  if (layout === DEFAULT_LAYOUT && normalizeIp(w[2]!) === undefined) return undefined;
  const ip = normalizeIp(w[layout.client]!);
  if (ip === undefined) return undefined;
  // IIS writes the date and time in UTC.
  const t = localDateTimeAt(`${date} ${time}`, 45, utcTime);
  if (Number.isNaN(t)) return undefined;
  const query = field(w, layout.query);
  const version = field(w, layout.version);
  const ev = stream.event(line, t, 'iis.access');
  fillAccess(ev, {
    time: t,
    ip,
    vhost: field(w, layout.host),
    user: field(w, layout.user),
    request: `${method} ${query === undefined ? stem : `${stem}?${query}`}${version === undefined ? '' : ` ${version}`}`,
    status: Number(status),
    bytes: undefined,
    referrer: field(w, layout.referrer),
    agent: field(w, layout.agent)?.replace(/\+/g, ' '),
  });
  if (port !== undefined) ev['destination.port'] = Number(port);
  return stream.done(ev, t);
}
