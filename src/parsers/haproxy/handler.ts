import { normalizeIp, setSource, toPort } from '../shared/address.js';
import { WEB_AUTH } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { parseAccess } from '../web/access.js';
import { fillAccess } from '../web/access-event.js';

/**
 * HAProxy's HTTP log (`option httplog`), as syslog carries it:
 * `IP:PORT [ACCEPT_DATE] FRONTEND BACKEND/SERVER TR/Tw/Tc/Tr/Ta STATUS BYTES REQ_COOKIE
 * RES_COOKIE TERMINATION ACT/FE/BE/SRV/RETRIES SRVQ/BACKQ [{CAPTURED REQ}] [{CAPTURED RES}] "REQUEST"`.
 * The client comes first, before anything the client sent; the request is last.
 */
const HTTP_LOG =
  /^(\S+):(\d{1,5}) \[[^\]]{10,40}\] (\S+) ([^\s/]+)\/(\S+) (-?\d+\/-?\d+\/-?\d+\/-?\d+\/\+?-?\d+) (-?\d{1,3}) \+?(\d+) \S+ \S+ (\S{4}) \d+\/\d+\/\d+\/\d+\/\+?\d+ \d+\/\d+(?: \{(.*?)\})?(?: \{.*?\})? "(.*)"$/;
/** The client and accept date that open every HAProxy log line (TCP ones too). */
const CLIENT_HEAD = /^(\S+):(\d{1,5}) \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)?\] /;

/**
 * haproxy: HTTP log lines as access events (`haproxy.access`, read by every web scenario), a
 * 401 that HAProxy answered itself (`<NOSRV>`, its own basic auth) as a failed login; `option
 * httplog clf` lines through the common access-log reader.
 */
export function createHaproxyHandler(): ProgramHandler {
  return (env, ev) => {
    const m = env.msg;
    const h = HTTP_LOG.exec(m);
    if (h === null) {
      const clf = parseAccess(m);
      if (clf !== null) {
        ev['event.dataset'] = 'haproxy.access';
        fillAccess(ev, clf);
        return true;
      }
      ev['event.dataset'] = 'haproxy';
      // A TCP log line, or an HTTP one this pattern does not know: the client still opens it.
      const head = CLIENT_HEAD.exec(m);
      if (head !== null && normalizeIp(head[1]!) !== undefined) setSource(ev, head[1]!, toPort(head[2]!));
      return true;
    }
    const ip = normalizeIp(h[1]!);
    ev['event.dataset'] = 'haproxy.access';
    if (ip === undefined) return true;
    const status = Number(h[7]);
    // The fields an nginx line gives, through the same filler; HAProxy's own beside them.
    fillAccess(ev, {
      time: env.time,
      ip,
      vhost: undefined,
      user: undefined,
      request: h[11]!,
      status: status > 0 ? status : undefined,
      bytes: Number(h[8]),
      referrer: undefined,
      agent: undefined,
    });
    const port = toPort(h[2]!);
    if (port !== undefined) ev['source.port'] = port;
    ev['haproxy.frontend_name'] = h[3]!;
    ev['haproxy.backend_name'] = h[4]!;
    ev['haproxy.server_name'] = h[5]!;
    ev['haproxy.termination_state'] = h[9]!;
    // Request headers captured by `capture request header` (which ones, and in what order, the config says).
    if (h[10] !== undefined) ev['haproxy.captured_request_headers'] = h[10];
    if (status === 401 && h[5] === '<NOSRV>') {
      ev['event.category'] = WEB_AUTH;
      ev['event.action'] = 'http_auth_failure';
    }
    return true;
  };
}
