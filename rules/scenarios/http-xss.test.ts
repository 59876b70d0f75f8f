import { describe, expect, it } from 'vitest';
import { fired, http, times } from './test-kit.js';

describe('leuko/http-xss', () => {
  it('fires on six distinct script injections, encoded or not', () => {
    const urls = [
      '/?q=<script>alert(1)</script>',
      '/?q=%3Csvg%20onload%3Dalert(1)%3E',
      '/?q=&lt;img src=x onerror=prompt(1)&gt;',
      '/?q=javascript:alert(1)',
      '/?q=%253Ciframe',
      '/?q=%3CBODY%20onload=x%3E',
    ];
    expect(
      fired(
        'leuko/http-xss',
        urls.map((u, i) => http(i * 10, '127.0.0.1', u, 404)),
      ),
    ).toEqual(['127.0.0.1']);
  });
  it('ignores ordinary requests', () => {
    expect(
      fired(
        'leuko/http-xss',
        times(20, (i) => http(i * 10, 'a', `/articles/${i}?sort=asc&page=${i}`, 200)),
      ),
    ).toEqual([]);
  });
});
