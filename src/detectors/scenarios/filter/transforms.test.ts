import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlDecode, normalize, urlDecode } from './transforms.js';

describe('urlDecode', () => {
  it('decodes repeatedly until stable', () => {
    expect(urlDecode('/%252E%252E%252Ffoo')).toBe('/../foo');
    expect(urlDecode('%25252e')).toBe('.');
  });
  it('turns + into a space only in the query string', () => {
    expect(urlDecode('/a+b?q=1+union+select')).toBe('/a+b?q=1 union select');
  });
  it('leaves bad escapes alone and decodes UTF-8 bytes', () => {
    expect(urlDecode('%zz%4')).toBe('%zz%4');
    expect(urlDecode('caf%C3%A9')).toBe('café');
  });
  it('stops after 5 rounds', () => {
    let s = '.';
    for (let i = 0; i < 8; i++) s = encodeURIComponent(s).replace('.', '%2E');
    expect(urlDecode(s)).not.toBe('.');
  });
  it('never throws and is idempotent on decoded text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const d = urlDecode(s);
        expect(typeof d).toBe('string');
      }),
    );
  });
});

describe('htmlDecode', () => {
  it('decodes named, decimal and hex entities, nested', () => {
    expect(htmlDecode('&lt;script&gt;')).toBe('<script>');
    expect(htmlDecode('&#60;&#x3C;')).toBe('<<');
    expect(htmlDecode('&amp;lt;')).toBe('<');
    expect(htmlDecode('&bogus; &#xFFFFFFF;')).toBe('&bogus; &#xFFFFFFF;');
  });
  it('needs the semicolon except for the legacy names browsers accept without it', () => {
    expect(htmlDecode('/list?page=2&num=5&colon=x&sol=1')).toBe('/list?page=2&num=5&colon=x&sol=1');
    expect(htmlDecode('&num;&colon;&sol;')).toBe('#:/');
    expect(htmlDecode('&lt script&gt')).toBe('< script>');
    expect(htmlDecode('a=1&amp b=2')).toBe('a=1& b=2');
  });
});

describe('normalize', () => {
  it('decodes, lowers, drops SQL comments and collapses whitespace', () => {
    expect(normalize('/?id=1%20UNION/**/SELECT%0A%0A1')).toBe('/?id=1 union select 1');
    expect(normalize('&lt;SCRIPT&gt;')).toBe('<script>');
  });
});

/** The full normalization path, without the fast "already normal" check. */
function slowNormalize(s: string): string {
  let cur = htmlDecode(urlDecode(s)).toLowerCase();
  if (cur.indexOf('/*') >= 0) cur = cur.replace(/\/\*.*?\*\//g, ' ');
  return /\s\s|[^\S ]/.test(cur) ? cur.replace(/\s+/g, ' ') : cur;
}

describe('normalize fast path', () => {
  it('gives what the full path gives, escapes and odd whitespace included (property)', () => {
    const unit = fc.constantFrom(
      'a',
      'Z',
      '%',
      '2',
      '7',
      'e',
      '&',
      ';',
      'l',
      't',
      '+',
      '?',
      ' ',
      '\t',
      '/',
      '*',
      'é',
      '\u00a0',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (s) => {
        expect(normalize(s)).toBe(slowNormalize(s));
      }),
      { numRuns: 2000 },
    );
  });
  it('returns plain lower-case text unchanged', () => {
    const s = '/blog/cheap-how-news/?page=2';
    expect(normalize(s)).toBe(s);
  });
});
