import type { Signature } from '../types.js';

/**
 * Remote file inclusion and server-side request forgery (CRS 931 and SSRF probes): a
 * parameter whose whole value is a URL the application might fetch or include. A metadata
 * endpoint or an internal address makes it SSRF; any other scheme-qualified value is RFI.
 * Only query parameter values count: a Referer is a URL by nature.
 */
const INTERNAL = String.raw`(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|0+|\[[0:]*:1?\]|\[::ffff:[^\]]+\]|10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|0x[0-9a-f]{6,8}|0[0-7]{9,11}|\d{8,10}|[\w-]+\.internal|[\w-]+\.local|kubernetes\.default\S*)`;
const METADATA = String.raw`169\.254\.169\.254|\[fd00:ec2::254\]|metadata\.google\.internal|metadata\.azure\.com|100\.100\.100\.200|169\.254\.170\.2|/latest/meta-data|/computemetadata/v1|/metadata/instance|/openstack/latest`;

export const REMOTE: readonly Signature[] = [
  {
    id: 'ssrf.metadata',
    needles: ['169.254', 'metadata', '100.100.100.200', 'fd00:ec2', '/latest/', '/computemetadata', '/openstack'],
    cls: 'ssrf',
    view: 'text',
    strength: 3,
    re: new RegExp(`(?:^|[^\\w.])(?:${METADATA})`),
    parts: ['query', 'path'],
    plain: true,
  },
  {
    id: 'ssrf.internal-url',
    needles: ['://'],
    cls: 'ssrf',
    view: 'text',
    strength: 2,
    re: new RegExp(`^\\s*(?:[a-z][a-z0-9+.-]{1,12}:)?[a-z]{3,10}://(?:[^/@\\s]*@)?${INTERNAL}(?=[:/?#]|$)`),
    valueOnly: true,
    plain: true,
  },
  {
    id: 'rfi.url-value',
    needles: [':'],
    cls: 'rfi',
    view: 'text',
    strength: 2,
    // `?page=http://evil/shell.txt`, `url:file:///etc/passwd`, `jar:http://x/b.zip!a`,
    // `gopher://`, `ldap://`, `local_file://`.
    // A `file:` URL with no host (`file:///etc/passwd`, `file:/c:/x`) reads a local file: lfi.
    re: /^\s*(?:(?:url|jar|netdoc|view-source):)?(?:https?|ftps?|file(?!:\/\/\/|:\/?[a-z]:|:\/[a-z.~])|gopher|dict|ldaps?|tftp|jar|netdoc|local_file|sftp|smb|php|data|expect|phar|zip|ssh2\.\w+|ogg|rar)\s*:(?:\/\/|\/|[a-z]+:)/,
    valueOnly: true,
    plain: true,
  },
  {
    id: 'rfi.local-file-url',
    needles: ['file:'],
    cls: 'rfi',
    view: 'text',
    strength: 1,
    // `file:///etc/passwd` is first of all a local file read (lfi.wrapper); the URL form is
    // still an inclusion attempt, so it is listed too.
    re: /^\s*(?:(?:url|jar|netdoc|view-source):)?file:\/*[a-z~.]/,
    valueOnly: true,
    plain: true,
  },
  {
    id: 'rfi.url-question',
    needles: ['?'],
    cls: 'rfi',
    view: 'text',
    strength: 1,
    // A trailing `?` turns the suffix the application appends into a query string.
    re: /^\s*(?:https?|ftps?|file)\b[^\s]*\?+$/,
    valueOnly: true,
  },
];
