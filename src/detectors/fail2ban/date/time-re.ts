/**
 * fail2ban's strptime field expressions (`server/strptime.py` on top of Python's C-locale
 * `_strptime.TimeRE`), used to turn a `datepattern` like `%b %d %H:%M:%S` into a regex.
 */
const BASE: Record<string, string> = {
  d: String.raw`(?P<d>[1-2]\d|[0 ]?[1-9]|3[0-1])`,
  f: String.raw`(?P<f>[0-9]{1,6})`,
  H: String.raw`(?P<H>[0-1]?\d|2[0-3])`,
  I: String.raw`(?P<I>1[0-2]|0[1-9]|[1-9])`,
  G: String.raw`(?P<G>\d\d\d\d)`,
  j: String.raw`(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])`,
  m: String.raw`(?P<m>0?[1-9]|1[0-2])`,
  M: String.raw`(?P<M>[0-5]?\d)`,
  S: String.raw`(?P<S>[0-5]?\d|6[0-1])`,
  U: String.raw`(?P<U>5[0-3]|[0-4]\d|\d)`,
  w: String.raw`(?P<w>[0-6])`,
  u: String.raw`(?P<u>[1-7])`,
  V: String.raw`(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)`,
  y: String.raw`(?P<y>\d\d)`,
  Y: String.raw`(?P<Y>\d{4})`,
  z: String.raw`(?P<z>Z|UTC|GMT|[+-][01]\d(?::?\d{2})?)`,
  A: '(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)',
  a: '(?P<a>mon|tue|wed|thu|fri|sat|sun)',
  B: '(?P<B>september|february|november|december|january|october|august|march|april|june|july|may)',
  b: '(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)',
  p: '(?P<p>am|pm)',
  Z: '(?P<Z>Z|[A-Z]{3,5})',
  '%': '%',
  W: String.raw`(?P<W>5[0-3]|[0-4]\d|\d)`,
  c: String.raw`(?P<a>mon|tue|wed|thu|fri|sat|sun)\s+(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])\s+(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)\s+(?P<Y>\d\d\d\d)`,
  x: String.raw`(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])/(?P<y>\d\d)`,
  X: String.raw`(?P<H>2[0-3]|[0-1]\d|\d):(?P<M>[0-5]\d|\d):(?P<S>6[0-1]|[0-5]\d|\d)`,
  k: String.raw` ?(?P<H>[0-2]?\d)`,
  l: String.raw` ?(?P<I>1?\d)`,
  ExZ: '(?P<Z>[A-Z](?:[A-Z]{2,4})?)',
  Exz: String.raw`(?P<z>(?:[A-Z](?:[A-Z]{2,4})?)?[+-][01]\d(?::?\d{2})?|[A-Z](?:[A-Z]{2,4})?)`,
  Exd: String.raw`(?P<d>[1-2]\d|0[1-9]|3[0-1])`,
  Exm: '(?P<m>0[1-9]|1[0-2])',
  ExH: String.raw`(?P<H>[0-1]\d|2[0-3])`,
  Exk: String.raw` ?(?P<H>[0-1]?\d|2[0-3])`,
  Exl: String.raw` ?(?P<I>1[0-2]|\d)`,
  ExM: String.raw`(?P<M>[0-5]\d)`,
  ExS: String.raw`(?P<S>[0-5]\d|6[0-1])`,
  Exy: String.raw`(?P<y>\d{2})`,
};

/**
 * `%ExY`: a 4-digit year limited to the centuries around now (fail2ban's `_getYearCentRE`
 * with its alternate "now" of 2001), so `2005` and `2026` match but `1234` does not.
 */
export function yearCenturyRe(nowYear: number): string {
  const cent = (y: number) => String(y).slice(0, 3);
  const set = new Set<string>([cent(nowYear - 1), cent(nowYear + 3)]);
  const alt = Math.min(nowYear, 2001);
  for (let y = alt - 1; y < nowYear + 1; y += 3) set.add(cent(y));
  const grp = (exprs: string[]): string => {
    if (exprs.length > 1) {
      let c: string | undefined;
      for (const i of exprs) {
        if (c === undefined || i.slice(0, -1) === c) c = i.slice(0, -1);
        else {
          c = undefined;
          break;
        }
      }
      if (!c) {
        c = undefined;
        for (const i of exprs) {
          if (c === undefined || i[0] === c) c = i[0];
          else {
            c = undefined;
            break;
          }
        }
      }
      if (c) return c + grp(exprs.map((i) => i.slice(c!.length)));
      return exprs[0]!.length > 1 ? `(?:${exprs.join('|')})` : `[${exprs.join('')}]`;
    }
    return exprs.join('');
  };
  return String.raw`(?P<Y>${grp([...set].sort())}\d)`;
}

export function timeRe(nowYear: number): Record<string, string> {
  return { ...BASE, ExY: yearCenturyRe(nowYear) };
}

/** Replace strptime fields (`%b`, `%ExY`, `%%`) in a date pattern with their expressions. */
export function expandTimeFields(pattern: string, nowYear: number): string {
  const table = timeRe(nowYear);
  const multi = Object.keys(table)
    .filter((k) => k.length > 1)
    .join('|');
  const single = Object.keys(table)
    .filter((k) => k.length === 1 && k !== '%')
    .join('');
  const re = new RegExp(`%(%|${multi}|[${single}])`, 'g');
  return pattern.replace(re, (_, k: string) => table[k]!);
}
