/**
 * The Loghub settings (drain_benchmark_settings.json) are Python regular expressions. The
 * subset they use is also JavaScript; this translates the few spellings that differ so a
 * settings file written for logparser works unchanged. Compiled WITHOUT the `u` flag on
 * purpose: Python accepts identity escapes such as `\-` outside a class (the Android settings
 * use one), which `u` mode rejects.
 */
export function compilePythonRegex(source: string, flags = ''): RegExp {
  let src = source;
  let f = flags;
  // A leading inline flag group, e.g. `(?i)`: JavaScript only takes flags outside the pattern.
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const c of inline[1] ?? '') if ((c === 'i' || c === 'm' || c === 's') && !f.includes(c)) f += c;
  }
  src = src
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  return new RegExp(src, f);
}
