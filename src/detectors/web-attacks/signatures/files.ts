import type { Signature } from '../types.js';

/**
 * Path traversal and local file access (CRS 930). `traversal` is the walk itself (`../`,
 * `..\`, `..;`, `.../`); `lfi` is naming a file or folder no web server should serve, reached
 * by a walk, an absolute path or a request path (`/etc/passwd`, `win.ini`, `/.env`,
 * `~/.ssh/id_rsa`, backup dumps). Both count as the LFI family.
 */
const UNIX_DIRS = '(?:etc|proc|sys|dev|root|var|usr|boot|opt|home|tmp|bin|sbin|lib|srv|run)';
const UNIX_FILES = String.raw`/etc/(?:passwd|shadow|group|gshadow|hosts|issue|motd|sudoers|crontab|fstab|hostname|resolv\.conf|master\.passwd|subuid|subgid|environment|profile|bashrc|os-release|lsb-release|redhat-release|debian_version|inittab|aliases|exports|security|ssh|mysql|apache2?|nginx|httpd|php\d?|cron\w*|init\.d|sysconfig|network|shells|login\.defs|pam\.d|ssl|pki|kubernetes|docker|systemd|netplan|x11|mtab|machine-id|ld\.so\.\w+|rc\.local|updatedb\.conf|wgetrc|sysctl\.conf|modules|timezone|localtime|selinux)\b|/proc/(?:self|\d+|net|sys|version|cpuinfo|meminfo|mounts|cmdline|environ|kcore|sched_debug|partitions|modules|kallsyms|devices|filesystems|config\.gz)\b|/sys/(?:class|kernel|devices|block|bus|firmware|module|power|fs)\b|/root/|/var/(?:log|lib|run/secrets|spool|mail|backups|www/\.|db)\b|/usr/local/(?:apps|etc|apache\d?|nginx|lib/php)\b|/dev/(?:shm|mem|kmem|disk)|/home/[\w.-]+/\.`;
const DOT_FILES = String.raw`\.(?:ssh/(?:id_\w+|authorized_keys|known_hosts|config)|aws/(?:credentials|config)|(?:bash|zsh|mysql|psql|sh|sqlite|python|node_repl|lesshst|viminfo)_?history|htpasswd|htaccess|git/(?:config|head|index|logs|refs|objects)|git-credentials|gitconfig|svn/(?:entries|wc\.db)|hg/|bzr/|ds_store|npmrc|pgpass|netrc|dockercfg|docker/config\.json|kube/config|my\.cnf|boto|s3cfg|env(?:\.\w+)?|bashrc|profile|vimrc|viminfo|config/gcloud|azure/|terraform|tfstate|vscode/sftp\.json|idea/workspace\.xml)\b`;
const WIN_FILES = String.raw`(?:^|[\\/:])(?:boot\.ini|win\.ini|system\.ini|autoexec\.bat|config\.sys|pagefile\.sys|hiberfil\.sys|ntds\.dit|global\.asa|web\.config|machine\.config|applicationhost\.config|unattend\.xml|sysprep\.inf|php\.ini|httpd\.conf|nginx\.conf|my\.ini|my\.cnf|wp-config\.php|configuration\.php|localsettings\.php|config\.inc\.php|settings\.php|database\.yml|secrets\.yml|credentials\.json|appsettings\.json|id_rsa|id_dsa|id_ecdsa|id_ed25519|authorized_keys|shadow|passwd|htpasswd|tomcat-users\.xml|server\.xml|web\.xml|jboss-web\.xml|sam|security|software|ntuser\.dat|boot\.ini)(?=$|[\s\\/?#;&\x00])|\bc:[\\/]+(?:windows|winnt|boot\.ini|inetpub|program|users|documents)|[\\/](?:windows|winnt)[\\/]+(?:system32|win\.ini|repair|panther|debug)|system32[\\/]+(?:drivers|config|inetsrv)|%(?:systemroot|windir|userprofile|appdata)%|\\\\[\w.:-]+\\(?:[a-z]|admin|ipc)\$`;

export const FILES: readonly Signature[] = [
  {
    id: 'traversal.dotdot',
    cls: 'traversal',
    view: 'text',
    strength: 2,
    re: /(?:^|[/\\=;:,'"\s])\.{2,}[/\\;]|[/\\]\.{2,}(?:[/\\;]|$)|\.{2,}\x00|\.\.[/\\]/,
    plain: true,
  },
  {
    id: 'lfi.unix-file',
    cls: 'lfi',
    view: 'text',
    strength: 2,
    re: new RegExp(`(?:^|[^\\w.-])${UNIX_FILES}|(?:^|[=\\s;|&])${UNIX_DIRS}/(?:passwd|shadow|hosts|self/environ)\\b`),
    plain: true,
  },
  {
    id: 'lfi.temp-file',
    cls: 'lfi',
    view: 'text',
    strength: 1,
    // Writing or reading a scratch file by absolute path (`>/tmp/x`, `file=/dev/shm/y`).
    re: /(?:^|[<>=\s;|&])\/(?:var\/)?(?:tmp|dev\/shm)\/[\w.-]+/,
    parts: ['query', 'user_agent', 'referrer'],
    plain: true,
  },
  {
    id: 'lfi.dotfile',
    cls: 'lfi',
    view: 'text',
    strength: 2,
    re: new RegExp(`(?:^|[/\\\\~=\\s])${DOT_FILES}`),
    plain: true,
  },
  { id: 'lfi.windows-file', cls: 'lfi', view: 'text', strength: 2, re: new RegExp(WIN_FILES), plain: true },
  {
    id: 'lfi.wrapper',
    cls: 'lfi',
    view: 'text',
    strength: 2,
    re: /\bphp:\/\/(?:filter|input|fd|memory|temp|stdin)|\b(?:zip|phar|compress\.zlib|compress\.bzip2|glob|expect):\/\/|\/@fs\/|\/@id\/|\bresource\s*=\s*[./]|\bfile:\/\/\/?[a-z]*[/\\]/,
    plain: true,
  },
  {
    id: 'lfi.restricted-path',
    cls: 'lfi',
    view: 'text',
    strength: 1,
    // A hidden file or folder in the request path (never served by a sane site; `.well-known`
    // is the one standard exception), or a dump or backup left in the web root.
    re: /(?:^|\/)\.(?!well-known\b|\.)[a-z0-9_][\w.-]*(?=\/|$|\?)|(?:^|\/)[\w.-]*\.(?:sql|sqlite3?|db|mdb|bak|old|orig|save|swp|swo|backup|dump|tmp|tfstate)(?:\.(?:gz|zip|bz2|tar|tgz|7z|rar|xz))?$|(?:^|\/)(?:backup|dump|db|database|site|www|wwwroot|htdocs|public_html|web|data|users)[\w.-]*\.(?:zip|tar|tgz|tar\.gz|rar|7z|gz)$|(?:^|\/)(?:error|errors|debug|access|error_log|access_log|laravel|php_errors)\.log$|~$/,
    parts: ['path'],
    plain: true,
  },
];
