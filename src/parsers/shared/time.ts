import type { Clock } from '../../core/clock.js';

const DAY_MS = 86_400_000;

/** Month index (0-11) of a three-letter English month name at `i`, or -1. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  switch (a) {
    case 74: // J
      if (b === 97 && c === 110) return 0; // Jan
      if (b === 117 && c === 110) return 5; // Jun
      if (b === 117 && c === 108) return 6; // Jul
      return -1;
    case 70: // F
      return b === 101 && c === 98 ? 1 : -1;
    case 77: // M
      if (b === 97 && c === 114) return 2;
      if (b === 97 && c === 121) return 4;
      return -1;
    case 65: // A
      if (b === 112 && c === 114) return 3;
      if (b === 117 && c === 103) return 7;
      return -1;
    case 83: // S
      return b === 101 && c === 112 ? 8 : -1;
    case 79: // O
      return b === 99 && c === 116 ? 9 : -1;
    case 78: // N
      return b === 111 && c === 118 ? 10 : -1;
    case 68: // D
      return b === 101 && c === 99 ? 11 : -1;
    default:
      return -1;
  }
}

/** Value of `n` decimal digits at `i`, or -1 when any is not a digit. */
export function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

/**
 * Local wall-clock time to epoch ms. Timestamps without a zone are the local time of the
 * process that wrote them (same machine), so `new Date(y, m, d, ...)` is the right reading.
 * The hour start is cached: sorted logs hit the same hour again and again, and DST shifts
 * happen on hour boundaries.
 */
export function createLocalTime(): (
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
) => number {
  let key = -1;
  let hourStart = 0;
  return (y, mo, d, h, mi, s, ms) => {
    if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return Number.NaN;
    const k = ((y * 12 + mo) * 32 + d) * 24 + h;
    if (k !== key) {
      key = k;
      hourStart = new Date(y, mo, d, h, 0, 0, 0).getTime();
    }
    return hourStart + mi * 60_000 + s * 1000 + ms;
  };
}

export type LocalTime = ReturnType<typeof createLocalTime>;

/** A LocalTime for stamps written in UTC (IIS's W3C log), or in UTC before an explicit offset. */
export const utcTime: LocalTime = (y, mo, d, h, mi, s, ms) =>
  mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 ? Number.NaN : Date.UTC(y, mo, d, h, mi, s, ms);

/**
 * Year inference for syslog timestamps, which carry none. The year of "now" is used unless
 * that puts the line more than a day in the future (then it is last year's). Across a stream
 * the year never goes back (a replay of an old file stays in its year) and a Dec -> Jan step
 * moves it forward, but never into the future.
 */
export function createYearGuesser(clock: Clock, local: LocalTime) {
  let lastYear = -1;
  let lastMonth = -1;
  let nowCached = Number.NaN;
  let nowYear = 0;
  // The last call, remembered: consecutive lines share their second (a busy log writes many
  // lines per second). A call repeating the last one's arguments under the same `now` gets
  // the same answer and leaves the state as it was: the year it chose then is `lastYear`,
  // `lastMonth` is this month (so no Dec -> Jan step), and every test that led there still
  // passes with the same limit. So its answer can be given back without the date arithmetic.
  let memoNow = Number.NaN;
  let memoMo = -1;
  let memoD = -1;
  let memoH = -1;
  let memoMi = -1;
  let memoS = -1;
  let memoMs = -1;
  let memoT = Number.NaN;
  return (mo: number, d: number, h: number, mi: number, s: number, ms: number): number => {
    const now = clock.now();
    if (s === memoS && mi === memoMi && h === memoH && d === memoD && mo === memoMo && ms === memoMs && now === memoNow)
      return memoT;
    if (!(Math.abs(now - nowCached) < 60_000)) {
      nowCached = now;
      nowYear = new Date(now).getFullYear();
    }
    const limit = now + DAY_MS;
    let y = nowYear;
    let t = local(y, mo, d, h, mi, s, ms);
    if (t > limit) {
      y--;
      t = local(y, mo, d, h, mi, s, ms);
    }
    if (lastYear >= 0) {
      if (y < lastYear) {
        const t2 = local(lastYear, mo, d, h, mi, s, ms);
        if (t2 <= limit) {
          y = lastYear;
          t = t2;
        }
      }
      if (y === lastYear && lastMonth - mo >= 6) {
        const t3 = local(y + 1, mo, d, h, mi, s, ms);
        if (t3 <= limit) {
          y++;
          t = t3;
        }
      }
    }
    if (Number.isFinite(t)) {
      lastYear = y;
      lastMonth = mo;
    }
    memoNow = now;
    memoMo = mo;
    memoD = d;
    memoH = h;
    memoMi = mi;
    memoS = s;
    memoMs = ms;
    memoT = t;
    return t;
  };
}

export type YearGuesser = ReturnType<typeof createYearGuesser>;

/**
 * `22-Jan-2013 22:28:21` at `i` (BIND's and Roundcube's own log files) as [year, month 0-11,
 * day, hour, minute, second]; null when the text is not of that shape.
 */
export function dayMonthYearTimeAt(
  s: string,
  i: number,
): readonly [number, number, number, number, number, number] | null {
  if (s.charCodeAt(i + 2) !== 45 || s.charCodeAt(i + 6) !== 45 || s.charCodeAt(i + 11) !== 32) return null;
  if (s.charCodeAt(i + 14) !== 58 || s.charCodeAt(i + 17) !== 58) return null;
  const d = digitsAt(s, i, 2);
  const mo = monthAt(s, i + 3);
  const y = digitsAt(s, i + 7, 4);
  const h = digitsAt(s, i + 12, 2);
  const mi = digitsAt(s, i + 15, 2);
  const sec = digitsAt(s, i + 18, 2);
  if (d < 1 || mo < 0 || y < 0 || h < 0 || mi < 0 || sec < 0) return null;
  return [y, mo, d, h, mi, sec];
}

/**
 * C's `ctime()` stamp at the start of `line`, `Www Mmm d hh:mm:ss yyyy` with the day space-padded
 * or not (vsftpd's own log, Open WebMail, Monitorix), read as local time: [time, index after the
 * year] or null.
 */
export function ctimeAt(line: string, local: LocalTime): [number, number] | null {
  if (line.charCodeAt(3) !== 32 || line.charCodeAt(7) !== 32) return null;
  const mo = monthAt(line, 4);
  if (mo < 0) return null;
  let j = line.charCodeAt(8) === 32 ? 9 : 8;
  let d = digitsAt(line, j, 2);
  if (d >= 0) j += 2;
  else {
    d = digitsAt(line, j, 1);
    j += 1;
  }
  if (d < 1 || line.charCodeAt(j) !== 32) return null;
  const h = digitsAt(line, j + 1, 2);
  const mi = digitsAt(line, j + 4, 2);
  const s = digitsAt(line, j + 7, 2);
  const y = digitsAt(line, j + 10, 4);
  if (h < 0 || mi < 0 || s < 0 || y < 0 || line.charCodeAt(j + 3) !== 58 || line.charCodeAt(j + 6) !== 58) return null;
  if (line.charCodeAt(j + 9) !== 32) return null;
  const t = local(y, mo, d, h, mi, s, 0);
  return Number.isFinite(t) ? [t, j + 14] : null;
}

/**
 * `YYYY-MM-DD HH:MM:SS` at the start of `s`, its date parts separated by `sep` (`-`, or `.` in
 * stunnel's log), read in `local`'s zone (`utcTime` for UTC); NaN when the text is not of that shape.
 */
export function localDateTimeAt(s: string, sep: number, local: LocalTime): number {
  if (s.charCodeAt(4) !== sep || s.charCodeAt(7) !== sep || s.charCodeAt(10) !== 32) return Number.NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || sec < 0) return Number.NaN;
  return local(y, mo - 1, d, h, mi, sec, 0);
}

/** Fraction digits at `i` (after `.` or `,`) as milliseconds; returns [ms, end]. */
export function fractionAt(s: string, i: number): [number, number] {
  let j = i;
  let ms = 0;
  let scale = 100;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) break;
    ms += (c - 48) * scale;
    scale /= 10;
    j++;
  }
  return [Math.floor(ms), j];
}

/**
 * ISO 8601 / RFC 3339 at `i`: `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+hh:mm|+hhmm]`. A timestamp
 * with an offset is exact; without one it is local time. Returns [ms, end] or undefined.
 */
export function isoAt(s: string, i: number, local: LocalTime): [number, number] | undefined {
  const y = digitsAt(s, i, 4);
  if (y < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return undefined;
  const mo = digitsAt(s, i + 5, 2);
  const d = digitsAt(s, i + 8, 2);
  const sep = s.charCodeAt(i + 10);
  if (mo < 1 || d < 1 || (sep !== 84 && sep !== 32)) return undefined;
  const h = digitsAt(s, i + 11, 2);
  const mi = digitsAt(s, i + 14, 2);
  const sec = digitsAt(s, i + 17, 2);
  if (h < 0 || mi < 0 || sec < 0 || s.charCodeAt(i + 13) !== 58 || s.charCodeAt(i + 16) !== 58) return undefined;
  let j = i + 19;
  let ms = 0;
  const f = s.charCodeAt(j);
  if (f === 46 || f === 44) [ms, j] = fractionAt(s, j + 1);
  const z = s.charCodeAt(j);
  if (z === 90) {
    const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    return Number.isFinite(t) && mo <= 12 && h < 24 ? [t, j + 1] : undefined;
  }
  if (z === 43 || z === 45) {
    const oh = digitsAt(s, j + 1, 2);
    let om = -1;
    let end = -1;
    if (s.charCodeAt(j + 3) === 58) {
      om = digitsAt(s, j + 4, 2);
      end = j + 6;
    } else {
      om = digitsAt(s, j + 3, 2);
      end = j + 5;
    }
    if (oh >= 0 && om >= 0) {
      const off = (oh * 60 + om) * 60_000 * (z === 43 ? 1 : -1);
      const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - off;
      return Number.isFinite(t) && mo <= 12 && h < 24 ? [t, end] : undefined;
    }
  }
  const t = local(y, mo - 1, d, h, mi, sec, ms);
  return Number.isFinite(t) ? [t, j] : undefined;
}

/** `dd/Mon/yyyy:HH:MM:SS +zzzz` (access logs) at `i`; returns epoch ms or NaN. */
export function clfTimeAt(s: string, i: number): number {
  const d = digitsAt(s, i, 2);
  const mo = monthAt(s, i + 3);
  const y = digitsAt(s, i + 7, 4);
  const h = digitsAt(s, i + 12, 2);
  const mi = digitsAt(s, i + 15, 2);
  const sec = digitsAt(s, i + 18, 2);
  if (d < 1 || mo < 0 || y < 0 || h < 0 || mi < 0 || sec < 0) return Number.NaN;
  if (s.charCodeAt(i + 2) !== 47 || s.charCodeAt(i + 6) !== 47 || s.charCodeAt(i + 11) !== 58) return Number.NaN;
  const sign = s.charCodeAt(i + 21);
  const oh = digitsAt(s, i + 22, 2);
  const om = digitsAt(s, i + 24, 2);
  if ((sign !== 43 && sign !== 45) || oh < 0 || om < 0) return Number.NaN;
  const off = (oh * 60 + om) * 60_000 * (sign === 43 ? 1 : -1);
  return utcDay(y, mo, d) + h * 3_600_000 + mi * 60_000 + sec * 1000 - off;
}

// Date.UTC(y, mo, d) of the last day asked for: access logs stay on one day for hours, and
// Date.UTC costs as much as the rest of the line. Adding the time of day afterwards is exact
// (Date.UTC only sums day and time for in-range integers; 4-digit years stay far below the
// clip limit).
let dayKey = -1;
let dayMs = 0;

function utcDay(y: number, mo: number, d: number): number {
  const key = (y * 16 + mo) * 128 + d;
  if (key !== dayKey) {
    dayKey = key;
    dayMs = Date.UTC(y, mo, d);
  }
  return dayMs;
}

const TWO: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const THREE: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * epoch ms -> ISO 8601 UTC, the same text as `Date#toISOString` for years 0-9999. Built from
 * a cached day prefix and lookup tables: `toISOString` costs ~1 µs, the whole sshd budget.
 */
export function createIsoFormatter(): (ms: number) => string {
  let day = Number.NaN;
  let prefix = '';
  let lastMs = Number.NaN;
  let last = '';
  return (ms) => {
    if (ms === lastMs) return last;
    const d = Math.floor(ms / 86_400_000);
    if (d !== day) {
      const iso = new Date(d * 86_400_000).toISOString();
      if (iso.length !== 24) return new Date(ms).toISOString();
      day = d;
      prefix = iso.slice(0, 11);
    }
    let rest = ms - d * 86_400_000;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const mi = Math.floor(rest / 60_000);
    rest -= mi * 60_000;
    const sec = Math.floor(rest / 1000);
    const milli = rest - sec * 1000;
    lastMs = ms;
    // Joined, not concatenated: a flat string instead of a tree of eight pieces. Evidence keeps
    // these timestamps in every bucket, where each tree would cost several times the text.
    last = [prefix, TWO[h], ':', TWO[mi], ':', TWO[sec], '.', THREE[milli], 'Z'].join('');
    return last;
  };
}
