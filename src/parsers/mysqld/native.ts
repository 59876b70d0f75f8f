import { digitsAt, fractionAt, isoAt, type LocalTime } from '../shared/time.js';

/**
 * Timestamp of a MySQL/MariaDB error-log record at 0: `130324  0:04:00` (5.1), `2015-10-07
 * 06:09:42` / `2015-10-07  8:25:38` (MariaDB), ISO with or without `Z` (5.7+/8.0), followed
 * by an optional thread id and a `[Level]`. Returns [ms, message start] or null.
 */
export function mysqlNativeHead(line: string, local: LocalTime): [number, number] | null {
  let time: number;
  let i: number;
  const c6 = digitsAt(line, 0, 6);
  if (c6 >= 0 && line.charCodeAt(6) === 32) {
    const yy = Math.floor(c6 / 10000);
    const mo = Math.floor(c6 / 100) % 100;
    const d = c6 % 100;
    let j = 7;
    if (line.charCodeAt(j) === 32) j++;
    const hm = /^(\d{1,2}):(\d\d):(\d\d)/.exec(line.slice(j, j + 8));
    if (hm === null) return null;
    time = local(2000 + yy, mo - 1, d, Number(hm[1]), Number(hm[2]), Number(hm[3]), 0);
    i = j + hm[0].length;
  } else {
    const y = digitsAt(line, 0, 4);
    if (y < 0 || line.charCodeAt(4) !== 45) return null;
    const iso = isoAt(line, 0, local);
    if (iso !== undefined) [time, i] = iso;
    else {
      const m = /^(\d{4})-(\d\d)-(\d\d) {1,2}(\d{1,2}):(\d\d):(\d\d)/.exec(line.slice(0, 24));
      if (m === null) return null;
      let ms = 0;
      i = m[0].length;
      if (line.charCodeAt(i) === 46) [ms, i] = fractionAt(line, i + 1);
      time = local(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
    }
  }
  const rest = /^ +(?:\d+ +)?\[(?:Warning|Note|ERROR|Error|System|Information)\] /.exec(line.slice(i, i + 48));
  if (rest === null || !Number.isFinite(time)) return null;
  return [time, i];
}
