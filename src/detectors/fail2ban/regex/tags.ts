/**
 * fail2ban's tag substitutions (`Regex._resolveHostTag`): `<HOST>`, `<ADDR>`, `<IP4>`, `<IP6>`,
 * `<DNS>`, `<CIDR>`, `<SUBNET>`, `<F-ID/>`, `<F-PORT/>`, `<SKIPLINES>` and the custom
 * `<F-NAME>...</F-NAME>` groups (stored lower-case: `<F-USER>` -> group `user`, `<F-ID>` ->
 * `fid`), plus the rewrite of wrapped global flags `((?i)x)` to local `(?i:x)`.
 */
const IP_4_RE = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
const IP_6_RE = String.raw`(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):)`;

const R_IPV4 = String.raw`(?:::f{4,6}:)?(?P<ip4>${IP_4_RE})`;
const R_IPV6 = `(?P<ip6>${IP_6_RE})`;
const R_DNS = String.raw`(?P<dns>[\w\-.^_]*\w)`;
const R_CIDR = String.raw`(?P<cidr>\d+)`;
const R_ADDR = String.raw`\[?(?:${R_IPV4}|${R_IPV6})\]?`;
const R_HOST = `(?:${R_ADDR}|${R_DNS})`;
const R_SUBNET = String.raw`\[?(?:${R_IPV4}|${R_IPV6})(?:/${R_CIDR})?\]?`;

const STATIC_TAGS: Record<string, string> = {
  IP4: R_IPV4,
  'F-IP4/': R_IPV4,
  IP6: R_IPV6,
  'F-IP6/': R_IPV6,
  ADDR: R_ADDR,
  'F-ADDR/': R_ADDR,
  CIDR: R_CIDR,
  'F-CIDR/': R_CIDR,
  SUBNET: R_SUBNET,
  'F-SUBNET/': R_SUBNET,
  DNS: R_DNS,
  'F-DNS/': R_DNS,
  'F-ID/': String.raw`(?P<fid>\S+)`,
  'F-PORT/': String.raw`(?P<fport>\w+)`,
};

const TAG_MAP: Record<string, string> = { id: 'fid', port: 'fport' };

export function mapTagToGroup(tag: string): string {
  const t = tag.toLowerCase();
  return TAG_MAP[t] ?? t;
}

/** Resolve fail2ban tags in a failregex/prefregex/ignoreregex (before Python→JS translation). */
export function resolveHostTags(regex: string, useDns = 'warn'): string {
  const open = new Set<string>();
  let nl = 0;
  const out = regex.replace(/<\/?[\w-]+\/?>/g, (tag) => {
    const tn = tag.slice(1, -1);
    if (tn === 'HOST') return useDns === 'no' ? R_ADDR : R_HOST;
    if (tn === 'SKIPLINES') return String.raw`\n(?P<skiplines${nl++}>(?:(?:.*\n)*?))`;
    const st = STATIC_TAGS[tn];
    if (st !== undefined) return st;
    const m = /^(\/?)F-([A-Z0-9_-]+)$/.exec(tn);
    if (m) {
      const name = m[2]!;
      if (m[1] === '/') return open.has(name) ? ')' : tag;
      open.add(name);
      return `(?P<${mapTagToGroup(name)}>`;
    }
    return tag;
  });
  // fail2ban's R_GLOB2LOCFLAGS: `((?i)x)` or `(?:(?i)x)` becomes `(?i:x)`.
  return out.replace(/(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)/g, '$1:');
}
