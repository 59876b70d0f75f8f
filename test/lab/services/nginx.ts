import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, waitUntil } from '../proc.js';
import type { Lab } from '../topology.js';
import { writeSite } from './site.js';

export interface Nginx {
  /** Access log in nginx's `combined` format. */
  readonly accessLog: string;
  /** Error log (auth_basic mismatches land here, as fail2ban's nginx-http-auth expects). */
  readonly errorLog: string;
  /** Paths the legitimate client requests. */
  readonly pages: readonly string[];
  /** Basic-auth account for /admin/. */
  readonly admin: { readonly user: string; readonly password: string };
}

/** A real nginx on victim:80 with its own prefix, config and logs in the lab dir. */
export async function startNginx(lab: Lab, logDir: string): Promise<Nginx> {
  const dir = path.join(lab.dir, 'nginx');
  const root = path.join(dir, 'www');
  for (const d of ['', 'tmp']) mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  const { pages } = writeSite(root);
  const accessLog = path.join(logDir, 'nginx-access.log');
  const errorLog = path.join(logDir, 'nginx-error.log');
  const admin = { user: 'admin', password: 'lab-admin-pass' };
  const htpasswd = path.join(dir, 'htpasswd');
  writeFileSync(htpasswd, `${admin.user}:{PLAIN}${admin.password}\n`, { mode: 0o644 });
  const tmp = path.join(dir, 'tmp');
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${errorLog} error;
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type text/plain;
  access_log ${accessLog} combined;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen ${lab.victim}:80 default_server;
    server_name victim.lab;
    root ${root};
    location / { try_files $uri $uri/ =404; }
    location = /login { return 401 "wrong user or password\\n"; }
    location /admin/ {
      auth_basic "admin";
      auth_basic_user_file ${htpasswd};
    }
    location = /item {
      # Quotes "break the query": the error page sqlmap's heuristics look for.
      if ($args ~* "(%27|%22|'|\\")") {
        return 500 "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '$arg_id' at line 1\\n";
      }
      return 200 "item $arg_id\\n";
    }
    location = /search { return 200 "no results for $arg_q\\n"; }
  }
}
`,
  );
  writeFileSync(accessLog, '', { mode: 0o640 });
  writeFileSync(errorLog, '', { mode: 0o640 });
  const child = lab.spawn('victim', ['nginx', '-p', `${dir}/`, '-e', errorLog, '-c', conf]);
  let exited = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.once('exit', (code) => {
    exited = `nginx exited with ${code}: ${stderr.trim()}`;
  });
  // Readiness from the victim itself, so the lab's own probes never show up as client traffic.
  await waitUntil(
    'nginx listening on victim:80',
    async () => {
      if (exited) throw new Error(exited);
      const r = await run(
        [
          'ip',
          'netns',
          'exec',
          lab.ns.victim,
          'curl',
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '--max-time',
          '1',
          `http://${lab.victim}/robots.txt`,
        ],
        {
          timeoutMs: 3000,
        },
      );
      return r.stdout === '200' || undefined;
    },
    15_000,
    100,
  );
  return { accessLog, errorLog, pages, admin };
}
