import { describe, expect, it } from 'vitest';
import { compileError, hits, ruleFrom } from './test-kit.js';

/**
 * Matching semantics from the Sigma specification (rules spec and modifiers appendix, v2),
 * one case per modifier and condition form. Expected values are the specification's, not
 * what the engine happens to do.
 */
const m = (det: string, ev: Record<string, unknown>, placeholders = {}) => hits(ruleFrom(det, {}, placeholders), ev);

describe('plain values', () => {
  it('compares strings case-insensitively and whole', () => {
    const det = 'sel: { Image: C:\\Windows\\cmd.exe }\ncondition: sel';
    expect(m(det, { Image: 'c:\\windows\\CMD.EXE' })).toBe(true);
    expect(m(det, { Image: 'C:\\Windows\\cmd.exe.bak' })).toBe(false);
  });
  it('treats * and ? as wildcards and \\* \\? \\\\ as literals', () => {
    expect(m("sel: { F: 'a*c' }\ncondition: sel", { F: 'aXYZc' })).toBe(true);
    expect(m("sel: { F: 'a?c' }\ncondition: sel", { F: 'abc' })).toBe(true);
    expect(m("sel: { F: 'a?c' }\ncondition: sel", { F: 'ac' })).toBe(false);
    expect(m("sel: { F: 'a\\*c' }\ncondition: sel", { F: 'a*c' })).toBe(true);
    expect(m("sel: { F: 'a\\*c' }\ncondition: sel", { F: 'abc' })).toBe(false);
    expect(m("sel: { F: 'a\\?' }\ncondition: sel", { F: 'a?' })).toBe(true);
    // `\\*` is a backslash followed by a wildcard; a lone backslash before other text is literal.
    expect(m("sel: { F: 'C:\\\\*' }\ncondition: sel", { F: 'C:\\Users' })).toBe(true);
    expect(m("sel: { F: 'C:\\Windows' }\ncondition: sel", { F: 'C:\\Windows' })).toBe(true);
    expect(m("sel: { F: 'C:\\\\Windows' }\ncondition: sel", { F: 'C:\\Windows' })).toBe(true);
    expect(m("sel: { F: 'a\\\\\\*' }\ncondition: sel", { F: 'a\\*' })).toBe(true);
  });
  it('lets * match across newlines', () => {
    expect(m("sel: { F: 'a*b' }\ncondition: sel", { F: 'a\nb' })).toBe(true);
  });
  it('links list values with OR and map entries with AND', () => {
    const det = 'sel:\n  A: [x, y]\n  B: z\ncondition: sel';
    expect(m(det, { A: 'y', B: 'z' })).toBe(true);
    expect(m(det, { A: 'y', B: 'q' })).toBe(false);
    expect(m(det, { A: 'w', B: 'z' })).toBe(false);
  });
  it('links a list of maps with OR', () => {
    const det = "sel:\n  - Image|endswith: '\\example.exe'\n  - Description|contains: Test executable\ncondition: sel";
    expect(m(det, { Image: 'C:\\example.exe' })).toBe(true);
    expect(m(det, { Description: 'a test Executable here' })).toBe(true);
    expect(m(det, { Image: 'C:\\other.exe' })).toBe(false);
  });
  it('matches numbers against numbers and numeric strings', () => {
    const det = 'sel: { EventID: 4688 }\ncondition: sel';
    expect(m(det, { EventID: 4688 })).toBe(true);
    expect(m(det, { EventID: '4688' })).toBe(true);
    expect(m(det, { EventID: 46880 })).toBe(false);
    expect(m("sel: { EventID: '4688' }\ncondition: sel", { EventID: 4688 })).toBe(true);
  });
  it('matches booleans', () => {
    expect(m('sel: { Initiated: true }\ncondition: sel', { Initiated: true })).toBe(true);
    expect(m('sel: { Initiated: true }\ncondition: sel', { Initiated: 'true' })).toBe(true);
    expect(m('sel: { Initiated: true }\ncondition: sel', { Initiated: false })).toBe(false);
  });
  it('null means the field is absent or null; empty string means empty', () => {
    const det = 'sel: { A: x }\nfilter: { P: null }\ncondition: sel and not filter';
    expect(m(det, { A: 'x', P: 'set' })).toBe(true);
    expect(m(det, { A: 'x' })).toBe(false);
    expect(m(det, { A: 'x', P: null })).toBe(false);
    expect(m("sel: { P: '' }\ncondition: sel", { P: '' })).toBe(true);
    expect(m("sel: { P: '' }\ncondition: sel", {})).toBe(false);
    expect(m('sel: { P: [null, x] }\ncondition: sel', {})).toBe(true);
  });
  it('matches any element of an array field', () => {
    expect(m('sel: { event.category: process }\ncondition: sel', { 'event.category': ['host', 'process'] })).toBe(true);
  });
  it('never matches an absent field with a value', () => {
    expect(m("sel: { F|contains: '' }\ncondition: sel", {})).toBe(false);
  });
});

describe('modifiers', () => {
  it('contains, startswith, endswith', () => {
    expect(m('s: { F|contains: bAr }\ncondition: s', { F: 'foobarbaz' })).toBe(true);
    expect(m('s: { F|startswith: FOO }\ncondition: s', { F: 'foobar' })).toBe(true);
    expect(m('s: { F|startswith: bar }\ncondition: s', { F: 'foobar' })).toBe(false);
    expect(m('s: { F|endswith: BAR }\ncondition: s', { F: 'foobar' })).toBe(true);
    expect(m('s: { F|endswith: foo }\ncondition: s', { F: 'foobar' })).toBe(false);
    expect(m("s: { F|contains: 'a?c' }\ncondition: s", { F: 'xxabcxx' })).toBe(true);
  });
  it('all links the values with AND (contains|all)', () => {
    const det = "s: { CommandLine|contains|all: [' -enc ', 'IEX'] }\ncondition: s";
    expect(m(det, { CommandLine: 'powershell -enc AAA iex' })).toBe(true);
    expect(m(det, { CommandLine: 'powershell -enc AAA' })).toBe(false);
    expect(m('s: { F|all: [a, a] }\ncondition: s', { F: 'A' })).toBe(true);
  });
  it('cased compares case-sensitively', () => {
    expect(m('s: { F|cased: Foo }\ncondition: s', { F: 'Foo' })).toBe(true);
    expect(m('s: { F|cased: Foo }\ncondition: s', { F: 'foo' })).toBe(false);
    expect(m('s: { F|contains|cased: oO }\ncondition: s', { F: 'fOo' })).toBe(false);
    expect(m('s: { F|contains|cased: Oo }\ncondition: s', { F: 'fOo' })).toBe(true);
  });
  it('re is case-sensitive, searches, and takes the i, m and s flags', () => {
    expect(m("s: { F|re: 'b[0-9]+c' }\ncondition: s", { F: 'ab12cd' })).toBe(true);
    expect(m("s: { F|re: 'B[0-9]+C' }\ncondition: s", { F: 'ab12cd' })).toBe(false);
    expect(m("s: { F|re|i: 'B[0-9]+C' }\ncondition: s", { F: 'ab12cd' })).toBe(true);
    expect(m("s: { F|re: '^b$' }\ncondition: s", { F: 'a\nb\nc' })).toBe(false);
    expect(m("s: { F|re|m: '^b$' }\ncondition: s", { F: 'a\nb\nc' })).toBe(true);
    expect(m("s: { F|re: 'a.c' }\ncondition: s", { F: 'a\nc' })).toBe(false);
    expect(m("s: { F|re|s: 'a.c' }\ncondition: s", { F: 'a\nc' })).toBe(true);
  });
  it('re accepts Python syntax: named groups, inline flags, back-references', () => {
    expect(m("s: { F|re: '(?P<w>ab)-(?P=w)' }\ncondition: s", { F: 'xab-aby' })).toBe(true);
    expect(m("s: { F|re: '(?i)hello' }\ncondition: s", { F: 'HeLLo' })).toBe(true);
    expect(m("s: { F|re: 'x(?i:ab)y' }\ncondition: s", { F: 'xABy' })).toBe(true);
    expect(m("s: { F|re: 'x(?i:ab)y' }\ncondition: s", { F: 'xABY' })).toBe(false);
    expect(compileError("s: { F|re: '(?>a)' }\ncondition: s")).toMatch(/atomic groups/);
    expect(compileError("s: { F|re: '(' }\ncondition: s")).toMatch(/invalid regular expression/);
  });
  it('cidr matches IPv4 and IPv6 networks', () => {
    const det = "s: { ip|cidr: ['10.0.0.0/8', '2001:db8::/32'] }\ncondition: s";
    expect(m(det, { ip: '10.20.30.40' })).toBe(true);
    expect(m(det, { ip: '11.0.0.1' })).toBe(false);
    expect(m(det, { ip: '2001:db8::1' })).toBe(true);
    expect(m(det, { ip: '2001:db9::1' })).toBe(false);
    expect(m(det, { ip: '::ffff:10.1.1.1' })).toBe(true);
    expect(m(det, { ip: 'not an ip' })).toBe(false);
    expect(compileError("s: { ip|cidr: '10.0.0.0/99' }\ncondition: s")).toMatch(/cidr/);
  });
  it('base64 encodes the value', () => {
    expect(m("s: { F|base64: 'cmd' }\ncondition: s", { F: 'Y21k' })).toBe(true);
    expect(m("s: { F|base64|contains: 'cmd' }\ncondition: s", { F: 'xxY21kyy' })).toBe(true);
    expect(compileError("s: { F|base64: 'a*' }\ncondition: s")).toMatch(/wildcards/);
  });
  it('base64offset gives the three shifted encodings (foobar: Zm9vYmFy, Zvb2Jhc, mb29iYX)', () => {
    const det = 's: { F|base64offset|contains: foobar }\ncondition: s';
    for (const enc of ['Zm9vYmFy', 'Zvb2Jhc', 'mb29iYX']) expect(m(det, { F: `..${enc}..` })).toBe(true);
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${prefix}foobar and more`).toString('base64');
      expect(m(det, { F: encoded })).toBe(true);
    }
    expect(m(det, { F: Buffer.from('fooba').toString('base64') })).toBe(false);
  });
  it('wide / utf16le encode as UTF-16LE, also under base64 and base64offset', () => {
    expect(m('s: { F|wide|base64: cmd }\ncondition: s', { F: 'YwBtAGQA' })).toBe(true);
    expect(m('s: { F|utf16le|base64: cmd }\ncondition: s', { F: 'YwBtAGQA' })).toBe(true);
    const det = 's: { F|wide|base64offset|contains: cmd }\ncondition: s';
    for (const enc of ['YwBtAGQA', 'MAbQBkA', 'jAG0AZA']) expect(m(det, { F: `x${enc}x` })).toBe(true);
    expect(m('s: { F|wide|contains: cmd }\ncondition: s', { F: 'xc\0m\0d\0' })).toBe(true);
  });
  it('utf16be and utf16 (with byte order mark)', () => {
    expect(
      m('s: { F|utf16be|base64: cmd }\ncondition: s', { F: Buffer.from('\0c\0m\0d', 'latin1').toString('base64') }),
    ).toBe(true);
    expect(m('s: { F|utf16|base64: cmd }\ncondition: s', { F: '//5jAG0AZAA=' })).toBe(true);
  });
  it('windash accepts -, /, en dash, em dash and horizontal bar before a parameter', () => {
    const det = "s: { CommandLine|windash|contains: ' -exec ' }\ncondition: s";
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015'])
      expect(m(det, { CommandLine: `procdump ${d}exec bypass` })).toBe(true);
    expect(m(det, { CommandLine: 'procdump +exec bypass' })).toBe(false);
    // A dash inside a word is not a parameter dash.
    expect(m("s: { F|windash: 'a-b' }\ncondition: s", { F: 'a/b' })).toBe(false);
  });
  it('exists tests presence only', () => {
    expect(m('s: { P|exists: true }\ncondition: s', { P: '' })).toBe(true);
    expect(m('s: { P|exists: true }\ncondition: s', { P: null })).toBe(true);
    expect(m('s: { P|exists: true }\ncondition: s', {})).toBe(false);
    expect(m('s: { P|exists: false }\ncondition: s', {})).toBe(true);
  });
  it('gt, gte, lt, lte compare numbers', () => {
    expect(m('s: { n|gt: 10 }\ncondition: s', { n: 11 })).toBe(true);
    expect(m('s: { n|gt: 10 }\ncondition: s', { n: 10 })).toBe(false);
    expect(m('s: { n|gte: 10 }\ncondition: s', { n: '10' })).toBe(true);
    expect(m('s: { n|lt: 10 }\ncondition: s', { n: 9.5 })).toBe(true);
    expect(m('s: { n|lte: 10 }\ncondition: s', { n: 11 })).toBe(false);
    expect(m('s: { n|lt: 10 }\ncondition: s', { n: 'abc' })).toBe(false);
  });
  it('neq negates the item', () => {
    expect(m('s: { n|neq: 5 }\ncondition: s', { n: 6 })).toBe(true);
    expect(m('s: { n|neq: 5 }\ncondition: s', { n: 5 })).toBe(false);
  });
  it('fieldref compares with another field of the same event', () => {
    expect(m('s: { TargetUser|fieldref: SubjectUser }\ncondition: s', { TargetUser: 'Bob', SubjectUser: 'bob' })).toBe(
      true,
    );
    expect(m('s: { TargetUser|fieldref: SubjectUser }\ncondition: s', { TargetUser: 'bob', SubjectUser: 'eve' })).toBe(
      false,
    );
    expect(m('s: { TargetUser|fieldref: SubjectUser }\ncondition: s', { TargetUser: 'bob' })).toBe(false);
    expect(m('s: { Cmd|fieldref|contains: Img }\ncondition: s', { Cmd: 'x /bin/ls -la', Img: '/bin/ls' })).toBe(true);
    expect(m('s: { Cmd|fieldref|startswith: Img }\ncondition: s', { Cmd: 'x /bin/ls -la', Img: '/bin/ls' })).toBe(
      false,
    );
  });
  it('expand replaces %placeholders% with the configured values; unknown ones are reported', () => {
    const det = "s: { User|expand: '%Admins%' }\ncondition: s";
    const ph = { Admins: ['root', 'adm*'] };
    expect(m(det, { User: 'root' }, ph)).toBe(true);
    expect(m(det, { User: 'admin7' }, ph)).toBe(true);
    expect(m(det, { User: 'bob' }, ph)).toBe(false);
    expect(compileError(det)).toMatch(/placeholder %Admins% has no configured values/);
    // Without expand, %name% is a literal value.
    expect(m("s: { User: '%Admins%' }\ncondition: s", { User: '%admins%' })).toBe(true);
  });
  it('time parts of a timestamp', () => {
    expect(m('s: { t|hour: 3 }\ncondition: s', { t: '2024-06-14T03:15:00Z' })).toBe(true);
    expect(m('s: { t|month: 7 }\ncondition: s', { t: '2024-06-14T03:15:00Z' })).toBe(false);
  });
  it('rejects unknown modifiers by name', () => {
    expect(compileError('s: { F|contain: x }\ncondition: s')).toMatch(/unknown modifier "contain"/);
  });
});

describe('keywords', () => {
  it('a list of values searches every field, OR-linked, as substrings', () => {
    const det = "keywords:\n  - 'event::clear'\n  - 'event::drop'\ncondition: keywords";
    expect(m(det, { message: 'mimikatz # EVENT::Clear now' })).toBe(true);
    expect(m(det, { 'process.command_line': 'x event::drop' })).toBe(true);
    expect(m(det, { message: 'nothing' })).toBe(false);
  });
  it("'|all' links keywords with AND", () => {
    const det = "k:\n  '|all':\n    - 'OabVirtualDirectory'\n    - ' -ExternalUrl '\ncondition: k";
    expect(m(det, { message: 'Set-OabVirtualDirectory -ExternalUrl http://x' })).toBe(true);
    expect(m(det, { message: 'Set-OabVirtualDirectory' })).toBe(false);
  });
  it('a single keyword string works too', () => {
    expect(m('k: Accepted password\ncondition: k', { message: 'sshd: accepted PASSWORD for root' })).toBe(true);
  });
});

describe('conditions', () => {
  const det = (cond: string) => `a: { A: 1 }\nb: { B: 1 }\nc: { C: 1 }\n_u: { U: 1 }\ncondition: ${cond}`;
  const ev = (a: number, b: number, c: number, u = 0) => ({ A: a, B: b, C: c, U: u });
  it('binds not tighter than and, and tighter than or', () => {
    expect(m(det('a or b and c'), ev(1, 0, 0))).toBe(true);
    expect(m(det('a or b and c'), ev(0, 1, 0))).toBe(false);
    expect(m(det('(a or b) and c'), ev(1, 0, 0))).toBe(false);
    expect(m(det('not a and b'), ev(0, 1, 0))).toBe(true);
    expect(m(det('not a and b'), ev(1, 1, 0))).toBe(false);
    expect(m(det('not (a and b)'), ev(1, 0, 0))).toBe(true);
    expect(m(det('a AND NOT b'), ev(1, 0, 0))).toBe(true);
  });
  it('1 of / all of / any of patterns and them (them skips _ identifiers)', () => {
    const d2 = 'sel_a: { A: 1 }\nsel_b: { B: 1 }\nfilter: { C: 1 }\n_x: { U: 1 }\ncondition: ';
    expect(m(`${d2}1 of sel_*`, ev(0, 1, 0))).toBe(true);
    expect(m(`${d2}all of sel_*`, ev(0, 1, 0))).toBe(false);
    expect(m(`${d2}all of sel_*`, ev(1, 1, 0))).toBe(true);
    expect(m(`${d2}any of sel*`, ev(1, 0, 0))).toBe(true);
    expect(m(`${d2}1 of sel_* and not 1 of filter*`, ev(1, 0, 1))).toBe(false);
    expect(m(`${d2}all of them`, ev(1, 1, 1, 0))).toBe(true);
    expect(m(`${d2}1 of them`, ev(0, 0, 0, 1))).toBe(false);
  });
  it('a list of conditions is OR-linked', () => {
    expect(m('a: { A: 1 }\nb: { B: 1 }\ncondition: [a, b]', ev(0, 1, 0))).toBe(true);
  });
  it('reports bad conditions precisely', () => {
    expect(compileError(det('a and'))).toMatch(/expected a search identifier, found the end/);
    expect(compileError(det('a and (b or c'))).toMatch(/expected "\)"/);
    expect(compileError(det('a b'))).toMatch(/expected "and", "or" or the end, found "b"/);
    expect(compileError(det('zzz'))).toMatch(/unknown search identifier "zzz"/);
    expect(compileError(det('1 of q*'))).toMatch(/"q\*" matches no search identifier/);
    expect(compileError(det('a | count() > 5'))).toMatch(/correlation rule/);
    expect(compileError(det('2x of a*'))).toMatch(/before "of"/);
  });
});

describe('field lookup', () => {
  const rule = (logsource: Record<string, string>, det: string) => ruleFrom(det, { logsource });
  it('reads the raw field name first, then the logsource mapping to ECS', () => {
    const r = rule(
      { product: 'linux', category: 'process_creation' },
      "s: { CommandLine|contains: 'nc -e' }\ncondition: s",
    );
    expect(hits(r, { CommandLine: 'nc -e /bin/sh' })).toBe(true);
    expect(hits(r, { 'process.command_line': 'nc -e /bin/sh' })).toBe(true);
    expect(hits(r, { CommandLine: 'ls', 'process.command_line': 'nc -e /bin/sh' })).toBe(false);
  });
  it('maps webserver names to our http fields', () => {
    const r = rule(
      { category: 'webserver' },
      "s: { cs-uri-query|contains: '/etc/passwd', cs-method: GET, sc-status: 200 }\ncondition: s",
    );
    expect(
      hits(r, {
        'url.original': '/a?f=../../etc/passwd',
        'http.request.method': 'GET',
        'http.response.status_code': 200,
      }),
    ).toBe(true);
  });
  it('maps taxonomy names for logsources we cannot feed too (rules test on ECS events)', () => {
    const r = rule(
      { product: 'windows', category: 'process_creation' },
      "s: { Image|endswith: '\\cmd.exe' }\ncondition: s",
    );
    expect(r.route.fed).toBe(false);
    expect(r.route.reason).toBe(
      'logsource product=windows category=process_creation: no Leuko source produces these events',
    );
    expect(hits(r, { 'process.executable': 'C:\\Windows\\System32\\cmd.exe' })).toBe(true);
  });
});
