import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Most files one pattern may name: a pattern that matches more is a mistake, not a log set. */
export const MAX_GLOB_MATCHES = 4096;

const GLOB_CHARS = /[*?[]/;

/** Whether a path holds glob characters (`*`, `?`, `[...]`) in any of its parts. */
export function isGlob(file: string): boolean {
  return GLOB_CHARS.test(file);
}

/**
 * One path part as a regular expression, as a shell reads it: `*` any run of characters and `?`
 * one, neither crossing `/` nor matching a leading dot (hidden files stay hidden, as in
 * fail2ban's and the shell's globs); `[abc]`, `[a-z]` and `[!abc]` a class.
 */
function partPattern(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = part.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(part.startsWith('.') ? `^${re}$` : `^(?!\\.)${re}$`);
}

/**
 * The files an absolute path pattern names now, sorted: glob characters may stand in any part
 * (`/var/log/nginx/*access.log`, `/var/www/site-*.example/logs/access.log`,
 * `/var/log/containers/*.log`);
 * directories are walked only where a part has them. A path without glob characters is returned
 * as it is, whether it exists or not (a file source waits for it). Directories that cannot be
 * read are skipped; at most {@link MAX_GLOB_MATCHES} files.
 */
export function expandFileGlob(pattern: string): string[] {
  if (!isGlob(pattern)) return [pattern];
  const parts = path.resolve(pattern).split(path.sep).slice(1);
  let dirs: string[] = [path.sep];
  const out: string[] = [];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const dir of dirs) {
      if (!isGlob(part)) {
        next.push(path.join(dir, part));
        continue;
      }
      const re = partPattern(part);
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => re.test(n));
      } catch {
        continue;
      }
      for (const n of names.sort()) next.push(path.join(dir, n));
      if (next.length > MAX_GLOB_MATCHES) break;
    }
    if (!last) {
      dirs = next.filter(isDirectory).slice(0, MAX_GLOB_MATCHES);
      return;
    }
    out.push(...next.filter(isFile));
  });
  return out.slice(0, MAX_GLOB_MATCHES);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A regular file, also through a symbolic link (Kubernetes' /var/log/containers are links). */
function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
