/**
 * `key=value key="quoted \"value\""` pairs (logfmt, as Grafana and Go services write it).
 * Returns undefined when the line is not logfmt or names a key twice: a value written to look
 * like another pair could only do so by breaking the quoting, which this reader never follows.
 */
export function parseLogfmt(line: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = line.indexOf('=', i);
    if (eq <= i) return undefined;
    const key = line.slice(i, eq);
    if (!/^[\w.@-]+$/.test(key)) return undefined;
    i = eq + 1;
    let value: string;
    if (line.charCodeAt(i) === 34) {
      let j = i + 1;
      let text = '';
      let start = j;
      for (; j < n; j++) {
        const c = line.charCodeAt(j);
        if (c === 92 && j + 1 < n) {
          text += line.slice(start, j);
          const next = line[j + 1]!;
          text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j++;
          start = j + 1;
        } else if (c === 34) break;
      }
      if (j >= n) return undefined;
      value = text + line.slice(start, j);
      i = j + 1;
      if (i < n && line.charCodeAt(i) !== 32) return undefined;
    } else {
      const sp = line.indexOf(' ', i);
      const end = sp < 0 ? n : sp;
      value = line.slice(i, end);
      if (value.indexOf('"') >= 0) return undefined;
      i = end;
    }
    if (out.has(key)) return undefined;
    out.set(key, value);
  }
  return out.size > 0 ? out : undefined;
}
