/**
 * A small glob matcher for protected paths and exclusions: `*` and `?` stay within one path
 * segment, `**` spans segments. Enough for `/etc/cron.d/*`, `cache/**`, `*.log`.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function hasGlob(text: string): boolean {
  return /[*?]/.test(text);
}

/** The directory part before the first glob character: where a glob's files are watched from. */
export function globBase(glob: string): string {
  const i = glob.search(/[*?]/);
  if (i < 0) return glob;
  const cut = glob.lastIndexOf('/', i);
  return cut <= 0 ? '/' : glob.slice(0, cut);
}
