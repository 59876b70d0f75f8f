import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A small static site with something for each tool to find: links and a form to crawl
 * (wapiti), a parameter that "leaks" a MySQL error on quotes (so sqlmap's --smart heuristics
 * go on to real payloads instead of giving up after a handful of requests).
 */
export function writeSite(root: string): { pages: readonly string[] } {
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>\n`;
  const files: Record<string, string> = {
    'index.html': page(
      'Lab shop',
      '<ul><li><a href="/about.html">About</a></li><li><a href="/item?id=1">Item 1</a></li>' +
        '<li><a href="/item?id=2">Item 2</a></li><li><a href="/search?q=lamp">Search</a></li>' +
        '<li><a href="/admin/">Admin</a></li></ul>' +
        '<form action="/login" method="get"><input name="user"><input name="pass" type="password">' +
        '<button>Log in</button></form>',
    ),
    'about.html': page('About', '<p>A shop that exists only inside a network namespace.</p>'),
    'robots.txt': 'User-agent: *\nDisallow: /admin/\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text, { mode: 0o644 });
  mkdirSync(path.join(root, 'admin'), { recursive: true, mode: 0o755 });
  writeFileSync(path.join(root, 'admin', 'index.html'), page('Admin', '<p>secret</p>'), { mode: 0o644 });
  return { pages: ['/', '/about.html', '/item?id=1', '/search?q=lamp'] };
}
