/** Browser user agents of real visitors. */
export const BROWSER_UAS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.113 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
];

/** Crawlers a site wants: each keeps its user agent all day. */
export const CRAWLER_UAS: readonly string[] = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/124.0.6367.118 Safari/537.36',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
];

/** Uptime checks and the operator's own scripts: automated, benign, and sometimes ugly. */
export const MONITOR_UAS: readonly string[] = [
  'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
  'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)',
  'python-requests/2.31.0',
  'curl/8.5.0',
  'Go-http-client/1.1',
  'Blackbox Exporter/0.25.0',
];

export const APP_UAS: readonly string[] = [
  'okhttp/4.12.0',
  'ShopApp/5.2.1 (iPhone; iOS 17.4; Scale/3.00)',
  'Dart/3.3 (dart:io)',
  'ShopApp/5.2.0 (Android 14; Pixel 7)',
];

export const WORDS: readonly string[] = [
  'garden',
  'coffee',
  'travel',
  'linux',
  'kitchen',
  'winter',
  'summer',
  'budget',
  'camera',
  'bike',
  'recipe',
  'guide',
  'review',
  'best',
  'cheap',
  'how',
  'to',
  'make',
  'fix',
  'install',
  'update',
  'news',
  'shop',
  'sale',
  'shoes',
  'jacket',
  'lamp',
  'desk',
  'chair',
  'plant',
  'tea',
  'bread',
  'pasta',
  'server',
  'backup',
  'photo',
];

/** Benign searches that contain what a naive filter mistakes for an attack. */
export const TRICKY_SEARCHES: readonly string[] = [
  "o'reilly books",
  'select all that apply',
  'union station parking',
  'drop shipping guide',
  'java script tutorial',
  'rock & roll t-shirt',
  '1=1 math puzzle',
  'i <3 coffee mug',
  'alert bracelet',
  'update where to buy',
  "children's shoes",
  'c:\\windows fonts',
];

export const STATIC_ASSETS: readonly string[] = [
  '/wp-content/themes/shop/style.css?ver=6.5.2',
  '/wp-includes/js/jquery/jquery.min.js?ver=3.7.1',
  '/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1',
  '/wp-content/themes/shop/assets/js/app.js?ver=2.3.1',
  '/wp-content/plugins/woocommerce/assets/css/woocommerce.css?ver=8.8.3',
  '/wp-content/themes/shop/assets/fonts/inter-var.woff2',
  '/wp-includes/css/dist/block-library/style.min.css?ver=6.5.2',
  '/favicon.ico',
];

/** Paths browsers ask for on their own and that many sites do not have: benign 404s. */
export const BENIGN_MISSING: readonly string[] = [
  '/apple-touch-icon.png',
  '/apple-touch-icon-precomposed.png',
  '/wp-content/uploads/2019/04/old-banner.jpg',
  '/.well-known/traffic-advice',
  '/ads.txt',
];

/** Articles whose names look alarming but are content. */
export const TRICKY_SLUGS: readonly string[] = [
  'sql-injection-explained',
  'what-is-log4shell',
  'etc-passwd-and-shadow-files',
  'wp-login-hardening',
  'admin-dashboard-tour',
];
