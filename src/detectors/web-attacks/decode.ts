import { htmlDecode, urlDecode } from '../scenarios/filter/transforms.js';

/**
 * Decoding for classification. Attackers stack encodings precisely so a literal match misses:
 * `%252e%252e%252f`, `&lt;script`, `%u003c`, `\x3c`, full-width `＜script＞`, `UNION/**\/SELECT`,
 * `c''a\t /e$@tc/pa''sswd`. Each step undoes one trick; the loop repeats until nothing changes,
 * bounded so a hostile input cannot make it spin.
 */

const MAX_ROUNDS = 4;
const IIS_UNICODE = /%u([0-9a-f]{4})/gi;
const JS_ESCAPE = /\\(?:x([0-9a-f]{2})|u\{([0-9a-f]{1,6})\}|u([0-9a-f]{4}))/gi;
const NEEDS_DECODE = /[%&\\]/;
const NON_ASCII = /[^\x00-\x7f]/;
const OVERLONG = /%c0%ae|%e0%80%ae|%c0%af|%e0%80%af|%c1%9c|%c1%1c|%c0%5c|%c1%af/gi;
const OVERLONG_MAP: Record<string, string> = {
  '%c0%ae': '.',
  '%e0%80%ae': '.',
  '%c0%af': '/',
  '%e0%80%af': '/',
  '%c1%9c': '\\',
  '%c1%1c': '\\',
  '%c0%5c': '\\',
  '%c1%af': '/',
};

function fromCode(hex: string, all: string): string {
  const code = Number.parseInt(hex, 16);
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
}

/**
 * Remove every encoding layer (percent, IIS `%u`, HTML entities, JS `\x`/`\u` escapes) and map
 * full-width and other compatibility forms to ASCII (NFKC), then lower-case and collapse
 * whitespace. `+` is not touched: callers decide whether it means a space (query strings).
 */
export function decodeLayers(raw: string): string {
  // Overlong UTF-8 (`%c0%ae` = `.`, `%c0%af` = `/`) decodes to U+FFFD in a strict decoder, but
  // old servers and some frameworks read it as the ASCII character it spells.
  let cur = raw;
  for (let round = 0; round < MAX_ROUNDS && NEEDS_DECODE.test(cur); round++) {
    let next = cur.indexOf('%') >= 0 ? cur.replace(OVERLONG, (m) => OVERLONG_MAP[m.toLowerCase()] ?? m) : cur;
    next =
      next.indexOf('%u') >= 0 || next.indexOf('%U') >= 0
        ? next.replace(IIS_UNICODE, (a, h: string) => fromCode(h, a))
        : next;
    // The native decoder is fast and exact for well-formed input; malformed escapes (a lone
    // `%`, invalid UTF-8) take the lenient decoder, which leaves them as they are.
    if (next.indexOf('%') >= 0) {
      try {
        next = decodeURIComponent(next);
      } catch {
        next = urlDecode(next);
      }
    }
    if (next.indexOf('&') >= 0) next = htmlDecode(next);
    if (next.indexOf('\\') >= 0)
      next = next.replace(JS_ESCAPE, (a, x?: string, b?: string, u?: string) => fromCode(x ?? b ?? u ?? '', a));
    if (next === cur) break;
    cur = next;
  }
  if (NON_ASCII.test(cur)) cur = cur.normalize('NFKC');
  return cur.toLowerCase().replace(/[ \t\x0b\f]+/g, ' ');
}

const SQL_COMMENT = /\/\*!?\d*|\*\//g;

/** `text` without SQL inline comments (`/**\/`, MySQL `/*!50000 ... *\/` keeps its content). */
export function sqlView(text: string): string {
  if (text.indexOf('/*') < 0) return text;
  // Comment markers become spaces; the versioned-comment body stays, since MySQL executes it.
  return text
    .replace(/\/\*(?!!)[^*]*\*+(?:[^/*][^*]*\*+)*\//g, ' ')
    .replace(SQL_COMMENT, ' ')
    .replace(/ +/g, ' ');
}

/**
 * `text` as a shell would see the words: quotes, backslashes, carets (cmd.exe), empty
 * expansions (`$@`, `$*`, `$!`, `$?`, `$_`, `$$`, one-letter variables like `$u`, empty backticks and
 * `$()`) removed, after ModSecurity's `t:cmdLine`, so `c''a\t`, `c$@at`, `pi``ng` read `cat`,
 * `ping`.
 */
export function cmdView(text: string): string {
  let s = text;
  if (/[\\'"^`$]/.test(s)) {
    s = s.replace(/\$[@*!?_#$-]|\$\{[a-z_]?\}|``|\$\(\)|\$[a-z]\b/g, '').replace(/[\\'"^]/g, '');
  }
  return s.replace(/ +/g, ' ');
}
