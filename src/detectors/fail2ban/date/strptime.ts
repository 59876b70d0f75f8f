/**
 * fail2ban's `reGroupDictStrptime`: epoch seconds from the named groups a date template
 * matched (`Y`, `y`, `m`, `b`, `B`, `d`, `H`, `I`, `p`, `M`, `S`, `z`, `Z`, `j`, ...). A date
 * without a year takes the current one (the year before when that would put it more than a
 * day in the future); without an explicit zone it is local time in `timeZone` (an IANA name,
 * or the process's zone when undefined).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_FULL = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const TZ_STR = `-12 Y
-11 X NUT SST
-10 W CKT HAST HST TAHT TKT
-9 V AKST GAMT GIT HADT HNY
-8 U AKDT CIST HAY HNP PST PT
-7 T HAP HNR MST PDT
-6 S CST EAST GALT HAR HNC MDT
-5 R CDT COT EASST ECT EST ET HAC HNE PET
-4 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT
-3 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT
-2 O BRST FNT PMDT UYST WGST
-1 N AZOT CVT EGT
0 Z EGST GMT UTC WET WT
1 A CET DFT WAT WEDT WEST
2 B CAT CEDT CEST EET SAST WAST
3 C EAT EEDT EEST IDT MSK
4 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT
5 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT
6 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST
7 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB
8 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST
9 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT
10 K AEST ChST PGT VLAT YAKST YAPT
11 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT
12 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT
13 FJST NZDT
11.5 NFT
10.5 ACDT LHST
9.5 ACST
6.5 CCT MMT
5.75 NPT
5.5 SLT
4.5 AFT IRDT
3.5 IRST
-2.5 HAT NDT
-3.5 HNT NST NT
-4.5 HLV VET
-9.5 MART MIT`;

const TZ_ABBR = new Map<string, number>([['', 0]]);
for (const line of TZ_STR.split('\n')) {
  const [off, ...names] = line.trim().split(/\s+/);
  for (const n of names) TZ_ABBR.set(n, Math.trunc(Number(off) * 60));
}

/** Minutes east of UTC for `CET`, `+0200`, `UTC+01:00`, ...; undefined when unknown. */
export function zoneOffsetMinutes(z: string): number | undefined {
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  const m = /^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\d(?::?\d{2})?)?$/.exec(z);
  if (!m) return undefined;
  const base = TZ_ABBR.get(m[1] ?? '');
  if (base === undefined) return undefined;
  const o = m[2];
  if (o === undefined || o === '') return base;
  const sign = o[0] === '-' ? -1 : 1;
  if (o.length <= 3) return base + Number(o) * 60;
  const mm = o[3] === ':' ? o.slice(4, 6) : o.slice(3, 5);
  return base + sign * (Number(o.slice(1, 3)) * 60 + Number(mm));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const offsetCache = new Map<string, number>();
const BUCKET_MS = 15 * 60_000;

/**
 * Offset of `timeZone` from UTC at `t`. Zone transitions fall on quarter hours, so the offset is
 * cached per zone and quarter hour (Intl formatting costs tens of microseconds per call).
 */
function offsetMs(t: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const key = `${timeZone}\u0000${Math.floor(t / BUCKET_MS)}`;
  let o = offsetCache.get(key);
  if (o === undefined) {
    o = computeOffsetMs(Math.floor(t / BUCKET_MS) * BUCKET_MS, timeZone);
    if (offsetCache.size > 10_000) offsetCache.clear();
    offsetCache.set(key, o);
  }
  return o;
}

function computeOffsetMs(t: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - Math.floor(t / 1000) * 1000;
}

/** Epoch ms of a wall-clock time in `timeZone` (IANA), or the process's zone. */
export function localToEpochMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string | undefined,
): number {
  if (timeZone === undefined) return new Date(y, mo - 1, d, h, mi, s).getTime();
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const o1 = offsetMs(guess, timeZone);
  let t = guess - o1;
  const o2 = offsetMs(t, timeZone);
  if (o2 !== o1) t = guess - o2;
  return t;
}

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 61) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * @returns epoch seconds, or undefined when the fields do not form a valid date (Python raises
 * ValueError there and fail2ban treats the line as having no date).
 */
export function groupsToEpoch(
  g: Readonly<Record<string, string | undefined>>,
  nowMs: number,
  timeZone: string | undefined,
): number | undefined {
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let tzoffset: number | undefined;
  let julian: number | undefined;
  for (const [key, val] of Object.entries(g)) {
    if (val === undefined) continue;
    switch (key) {
      case 'y':
        year = Number(val);
        if (year <= 2000) year += 2000;
        break;
      case 'Y':
        year = Number(val);
        break;
      case 'm':
        month = Number(val);
        break;
      case 'B':
        month = MONTHS_FULL.indexOf(val.toLowerCase()) + 1;
        break;
      case 'b':
        month = MONTHS.indexOf(val.toLowerCase()) + 1;
        break;
      case 'd':
        day = Number(val);
        break;
      case 'H':
        hour = Number(val);
        break;
      case 'I': {
        hour = Number(val);
        const ampm = (g.p ?? '').toLowerCase();
        if (ampm === '' || ampm === 'am') {
          if (hour === 12) hour = 0;
        } else if (ampm === 'pm' && hour !== 12) hour += 12;
        break;
      }
      case 'M':
        minute = Number(val);
        break;
      case 'S':
        second = Number(val);
        break;
      case 'j':
        julian = Number(val);
        break;
      case 'z':
      case 'Z': {
        const off = zoneOffsetMinutes(val);
        if (off === undefined) return undefined;
        tzoffset = off;
        break;
      }
      default:
        break;
    }
  }
  const now = new Date(nowMs);
  const nowParts = localParts(nowMs, timeZone);
  let assumeYear = false;
  if (year === undefined) {
    year = nowParts.y;
    assumeYear = true;
  }
  if ((month === undefined || day === undefined) && julian !== undefined) {
    const dt = new Date(Date.UTC(year, 0, julian));
    year = dt.getUTCFullYear();
    month = dt.getUTCMonth() + 1;
    day = dt.getUTCDate();
  }
  let assumeToday = false;
  if (month === undefined && day === undefined) {
    month = nowParts.mo;
    day = nowParts.d;
    assumeToday = true;
  }
  if (month === undefined || day === undefined) return undefined;
  if (!validDate(year, month, day, hour, minute, second)) return undefined;
  const toEpoch = (yy: number, dd: number) =>
    tzoffset === undefined
      ? localToEpochMs(yy, month!, dd, hour, minute, second, timeZone)
      : Date.UTC(yy, month! - 1, dd, hour, minute, second) - tzoffset * 60_000;
  let t = toEpoch(year, day);
  if (assumeToday && t > now.getTime()) t -= 86_400_000;
  if (assumeYear && t > now.getTime() + 86_400_000) {
    if (!validDate(year - 1, month, day, hour, minute, second)) return undefined;
    t = toEpoch(year - 1, day);
  }
  return t / 1000;
}

function localParts(t: number, timeZone: string | undefined): { y: number; mo: number; d: number } {
  if (timeZone === undefined) {
    const d = new Date(t);
    return { y: d.getFullYear(), mo: d.getMonth() + 1, d: d.getDate() };
  }
  const d = new Date(t + offsetMs(t, timeZone));
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
