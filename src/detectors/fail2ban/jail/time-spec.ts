/**
 * fail2ban time values (`MyTime.str2seconds`): plain seconds (`600`), or sums of numbers with
 * units (`10m`, `1h 30m`, `1d`, `2w`, `1mo`, `1y`; also long words like `minutes`). `-1` is
 * a permanent ban. Returns undefined for anything else.
 */
const UNITS: [RegExp, number][] = [
  [/^(?:y|ye(?:ars?)?|yy)$/i, 365.25 * 86400],
  [/^(?:mo|mon(?:ths?)?)$/i, 30 * 86400],
  [/^(?:w|we(?:e(?:ks?)?)?|ww)$/i, 7 * 86400],
  [/^(?:d|da(?:ys?)?|dd)$/i, 86400],
  [/^(?:h|ho(?:urs?)?|hh)$/i, 3600],
  [/^(?:m|mi(?:n(?:utes?)?)?|mm)$/i, 60],
  [/^(?:s|se(?:c(?:onds?)?)?|ss)?$/i, 1],
];

export function parseF2bTime(text: string): number | undefined {
  const s = text.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(s)) return Number(s);
  let total = 0;
  let matched = false;
  const re = /\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)/y;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[0] === '') return undefined;
    const unit = UNITS.find(([u]) => u.test(m[2]!));
    if (!unit) return undefined;
    total += Number(m[1]) * unit[1];
    matched = true;
    pos = re.lastIndex;
    while (s[pos] === ' ') pos++;
  }
  return matched ? total : undefined;
}
