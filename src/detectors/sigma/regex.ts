/**
 * Sigma's `re` values are written for PCRE/Python; JavaScript's RegExp differs in a few
 * places. This translates what it can and names what it cannot, so a rule is either compiled
 * faithfully or reported, never silently matched differently.
 *
 * Handled: named groups `(?P<n>...)` and back-references `(?P=n)`, global inline flags
 * `(?i)`, `(?m)`, `(?s)` anywhere (Python applies them to the whole pattern), scoped
 * case-insensitive groups `(?i:...)` (letters expanded to both cases), comments `(?#...)`,
 * `\A`, `\Z`/`\z`, and `{,n}` quantifiers.
 */
export interface TranslatedRegex {
  readonly source: string;
  readonly flags: string;
}

export type RegexResult = { ok: true; value: TranslatedRegex } | { ok: false; reason: string };

function bothCases(c: string): string {
  const lo = c.toLowerCase();
  const up = c.toUpperCase();
  return lo === up ? c : `[${lo}${up}]`;
}

/** Expand letters outside escapes to both cases (for a scoped `(?i:...)` group body). */
function caseFold(body: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      out += c + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      const lo = c.toLowerCase();
      const up = c.toUpperCase();
      out += lo !== up ? lo + up : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (body[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (body[i + 1] === ']') {
        out += ']';
        i++;
      }
      continue;
    }
    // Named groups and other `(?` constructs keep their names as written.
    if (c === '(' && body[i + 1] === '?') {
      const m = /^\(\?(<[A-Za-z_]\w*>|[:=!]|<[=!])/.exec(body.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '{') {
      const m = /^\{\d*(,\d*)?\}/.exec(body.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    out += bothCases(c);
  }
  return out;
}

/** Index of the `)` closing the group that starts at `open` (a `(`), or -1. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (s[i + 1] === '^') i++;
      if (s[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * Translate a Python/PCRE pattern and the rule's flag modifiers (`i`, `m`, `s`) to a
 * JavaScript RegExp source and flags.
 * @example translateRegex('(?i)^(?P<x>a)b', '') // { ok: true, value: { source: '^(?<x>a)b', flags: 'i' } }
 */
export function translateRegex(pattern: string, flags: string): RegexResult {
  const f = new Set(flags.split('').filter((c) => c !== ''));
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) return { ok: false, reason: 'regular expression ends with a lone backslash' };
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'Z' || n === 'z')) out += '$(?![\\s\\S])';
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '{' && pattern[i + 1] === ',') {
      const m = /^\{,(\d+)\}/.exec(pattern.slice(i));
      if (m) {
        out += `{0,${m[1]}}`;
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i);
      let m = /^\(\?P<([A-Za-z_]\w*)>/.exec(rest);
      if (m) {
        out += `(?<${m[1]}>`;
        i += m[0].length - 1;
        continue;
      }
      m = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
      if (m) {
        out += `\\k<${m[1]}>`;
        i += m[0].length - 1;
        continue;
      }
      m = /^\(\?#[^)]*\)/.exec(rest);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
      m = /^\(\?([aiLmsux]+)\)/.exec(rest);
      if (m) {
        for (const fl of m[1]!) {
          if (fl === 'i' || fl === 'm' || fl === 's') f.add(fl);
          else if (fl === 'x') return { ok: false, reason: 'verbose regular expressions (?x) are not supported' };
          // a (ASCII), L (locale), u (unicode) change nothing for the strings we match.
        }
        i += m[0].length - 1;
        continue;
      }
      m = /^\(\?([ims]+)(?:-[ims]*)?:/.exec(rest);
      if (m) {
        const end = closingParen(pattern, i);
        if (end < 0) return { ok: false, reason: 'unbalanced parentheses in regular expression' };
        const body = pattern.slice(i + m[0].length, end);
        const inner = translateRegex(body, '');
        if (!inner.ok) return inner;
        if (m[1] !== 'i') return { ok: false, reason: `scoped inline flags (?${m[1]}:...) are not supported` };
        out += `(?:${caseFold(inner.value.source)})`;
        i = end;
        continue;
      }
      if (/^\(\?>/.test(rest)) return { ok: false, reason: 'atomic groups (?>...) are not supported' };
      if (/^\(\?\(/.test(rest)) return { ok: false, reason: 'conditional groups (?(...)...) are not supported' };
      if (/^\(\?P>/.test(rest) || /^\(\?R\)/.test(rest))
        return { ok: false, reason: 'recursive patterns are not supported' };
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      return { ok: false, reason: 'possessive quantifiers are not supported' };
    }
    out += c;
  }
  const flagText = ['i', 'm', 's'].filter((x) => f.has(x)).join('');
  try {
    new RegExp(out, flagText);
  } catch (err) {
    return { ok: false, reason: `invalid regular expression: ${(err as Error).message}` };
  }
  return { ok: true, value: { source: out, flags: flagText } };
}
